import ssl

import urllib3
from urllib3 import PoolManager


def make_pools(proxy_url):
    # ruleid: python-urllib3-cert-reqs-none
    http = urllib3.PoolManager(cert_reqs="CERT_NONE")
    # ok: python-urllib3-cert-reqs-none
    safe = urllib3.PoolManager(cert_reqs="CERT_REQUIRED", ca_certs="/etc/pki/ca.pem")
    # ruleid: python-urllib3-cert-reqs-none
    proxy = urllib3.ProxyManager(proxy_url, cert_reqs=ssl.CERT_NONE)
    # ok: python-urllib3-cert-reqs-none
    proxy_ok = urllib3.ProxyManager(proxy_url)
    return http, safe, proxy, proxy_ok


def imported():
    # ruleid: python-urllib3-cert-reqs-none
    pm = PoolManager(num_pools=4, cert_reqs="CERT_NONE")
    # ok: python-urllib3-cert-reqs-none
    pm_ok = PoolManager(num_pools=4)
    # ruleid: python-urllib3-cert-reqs-none
    pool = urllib3.connectionpool.HTTPSConnectionPool("api.example.com", cert_reqs="CERT_NONE")
    return pm, pm_ok, pool
