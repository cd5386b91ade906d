import java.io.InputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamReader;

public class StaxReader {
    XMLStreamReader open(InputStream in) throws Exception {
        // ruleid: java-xxe-xml-input-factory
        XMLInputFactory xif = XMLInputFactory.newInstance();
        return xif.createXMLStreamReader(in);
    }

    XMLStreamReader openDefault(InputStream in) throws Exception {
        // ruleid: java-xxe-xml-input-factory
        return XMLInputFactory.newFactory().createXMLStreamReader(in);
    }

    XMLStreamReader openHardened(InputStream in) throws Exception {
        // ok: java-xxe-xml-input-factory
        XMLInputFactory xif = XMLInputFactory.newInstance();
        xif.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        return xif.createXMLStreamReader(in);
    }

    XMLStreamReader openHardenedByName(InputStream in) throws Exception {
        // ok: java-xxe-xml-input-factory
        XMLInputFactory xif = XMLInputFactory.newFactory();
        xif.setProperty("javax.xml.stream.supportDTD", false);
        return xif.createXMLStreamReader(in);
    }
}
