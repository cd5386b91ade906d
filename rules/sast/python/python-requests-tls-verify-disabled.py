import httpx
import requests
from requests import Session


def fetch_report(url, payload):
    # ruleid: python-requests-tls-verify-disabled
    r = requests.get(url, timeout=10, verify=False)
    # ok: python-requests-tls-verify-disabled
    r2 = requests.get(url, timeout=10)
    # ruleid: python-requests-tls-verify-disabled
    requests.post(url, json=payload, verify=False)
    # ok: python-requests-tls-verify-disabled
    requests.post(url, json=payload, verify="/etc/pki/internal-ca.pem")
    return r, r2


def client():
    # ruleid: python-requests-tls-verify-disabled
    c = httpx.Client(base_url="https://api.example.com", verify=False)
    # ok: python-requests-tls-verify-disabled
    c2 = httpx.Client(base_url="https://api.example.com")
    return c, c2


def session():
    s = Session()
    # ruleid: python-requests-tls-verify-disabled
    s.verify = False
    other = object()
    # ok: python-requests-tls-verify-disabled
    other.verify = False
    return s
