import ssl


def old_server_ctx():
    # ruleid: python-ssl-insecure-protocol-version
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
    # ok: python-ssl-insecure-protocol-version
    ctx2 = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    return ctx, ctx2


def old_client_ctx():
    # ruleid: python-ssl-insecure-protocol-version
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1_1)
    # ok: python-ssl-insecure-protocol-version
    ctx2 = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return ctx, ctx2


def floor():
    ctx = ssl.create_default_context()
    # ruleid: python-ssl-insecure-protocol-version
    ctx.minimum_version = ssl.TLSVersion.TLSv1
    # ok: python-ssl-insecure-protocol-version
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def wrap(sock):
    # ruleid: python-ssl-insecure-protocol-version
    return ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_SSLv3)
