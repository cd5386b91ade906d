import java.io.InputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;

public class XmlDocs {
    Document parse(InputStream in) throws Exception {
        // ruleid: java-xxe-document-builder-factory
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        return dbf.newDocumentBuilder().parse(in);
    }

    Document parseNs(InputStream in) throws Exception {
        // ruleid: java-xxe-document-builder-factory
        DocumentBuilder db = DocumentBuilderFactory.newNSInstance().newDocumentBuilder();
        return db.parse(in);
    }

    Document parseHardened(InputStream in) throws Exception {
        // ok: java-xxe-document-builder-factory
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        dbf.setXIncludeAware(false);
        return dbf.newDocumentBuilder().parse(in);
    }

    Document parseWithDtd(InputStream in) throws Exception {
        // ok: java-xxe-document-builder-factory
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newNSInstance();
        dbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        dbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return dbf.newDocumentBuilder().parse(in);
    }
}
