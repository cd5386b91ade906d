using System.IO;
using System.Xml;

public class XmlInput
{
    public XmlReader OpenUnsafe(Stream body)
    {
        var settings = new XmlReaderSettings
        {
            // ruleid: csharp-xml-dtd-processing-enabled
            DtdProcessing = DtdProcessing.Parse,
        };
        return XmlReader.Create(body, settings);
    }

    public XmlDocument LoadUnsafe(Stream body)
    {
        var doc = new XmlDocument();
        // ruleid: csharp-xml-dtd-processing-enabled
        doc.XmlResolver = new XmlUrlResolver();
        doc.Load(body);
        return doc;
    }

    public XmlReader OpenSafe(Stream body)
    {
        var settings = new XmlReaderSettings
        {
            // ok: csharp-xml-dtd-processing-enabled
            DtdProcessing = DtdProcessing.Prohibit,
            // ok: csharp-xml-dtd-processing-enabled
            XmlResolver = null,
        };
        return XmlReader.Create(body, settings);
    }

    public XmlDocument LoadSafe(Stream body)
    {
        // ok: csharp-xml-dtd-processing-enabled
        var doc = new XmlDocument { XmlResolver = null };
        doc.Load(body);
        return doc;
    }
}
