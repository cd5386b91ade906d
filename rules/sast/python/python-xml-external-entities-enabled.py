import xml.sax
from xml.sax.handler import feature_external_ges

from lxml import etree


def parse_upload(data):
    # ruleid: python-xml-external-entities-enabled
    parser = etree.XMLParser(resolve_entities=True)
    # ok: python-xml-external-entities-enabled
    safe = etree.XMLParser(resolve_entities=False, no_network=True)
    # ruleid: python-xml-external-entities-enabled
    fetching = etree.XMLParser(load_dtd=True, no_network=False)
    # ok: python-xml-external-entities-enabled
    plain = etree.XMLParser(remove_blank_text=True)
    return etree.fromstring(data, parser), safe, fetching, plain


def sax_parse(stream, handler):
    p = xml.sax.make_parser()
    # ruleid: python-xml-external-entities-enabled
    p.setFeature(feature_external_ges, True)
    # ok: python-xml-external-entities-enabled
    p.setFeature(xml.sax.handler.feature_external_ges, False)
    # ruleid: python-xml-external-entities-enabled
    p.setFeature(xml.sax.handler.feature_external_pes, True)
    p.setContentHandler(handler)
    p.parse(stream)
