import socket
import ssl
from ssl import CERT_NONE


def client_context():
    ctx = ssl.create_default_context()
    # ruleid: python-ssl-cert-verification-disabled
    ctx.check_hostname = False
    # ruleid: python-ssl-cert-verification-disabled
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def other_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    # ok: python-ssl-cert-verification-disabled
    ctx.check_hostname = True
    # ok: python-ssl-cert-verification-disabled
    ctx.verify_mode = ssl.CERT_REQUIRED
    # ruleid: python-ssl-cert-verification-disabled
    ctx.verify_mode = CERT_NONE
    return ctx


def legacy(host):
    sock = socket.create_connection((host, 443))
    # ruleid: python-ssl-cert-verification-disabled
    bad = ssl.wrap_socket(sock, cert_reqs=ssl.CERT_NONE)
    # ok: python-ssl-cert-verification-disabled
    good = ssl.wrap_socket(sock, cert_reqs=ssl.CERT_REQUIRED, ca_certs="/etc/ssl/certs/ca.pem")
    return bad, good
