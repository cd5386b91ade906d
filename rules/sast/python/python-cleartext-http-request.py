import urllib.request

import httpx
import requests


def sync_inventory(token):
    headers = {"Authorization": "Bearer " + token}
    # ruleid: python-cleartext-http-request
    r = requests.get("http://inventory.example.com/api/items", headers=headers)
    # ok: python-cleartext-http-request
    r2 = requests.get("https://inventory.example.com/api/items", headers=headers)
    # ruleid: python-cleartext-http-request
    httpx.post("http://10.20.0.5:8080/upload", data=b"x")
    # ok: python-cleartext-http-request
    httpx.post("http://localhost:8080/upload", data=b"x")
    # ok: python-cleartext-http-request
    requests.get("http://127.0.0.1:9000/health")
    # ok: python-cleartext-http-request
    requests.get("http://metrics.svc.cluster.local/health")
    return r, r2


def legacy():
    # ruleid: python-cleartext-http-request
    data = urllib.request.urlopen("http://feeds.example.org/rss").read()
    # ok: python-cleartext-http-request
    data2 = urllib.request.urlopen("https://feeds.example.org/rss").read()
    # ruleid: python-cleartext-http-request
    resp = requests.request("POST", "http://billing.internal/charge", json={})
    # ok: python-cleartext-http-request
    requests.get("http://[::1]:5000/")
    return data, data2, resp


def with_session(port):
    with httpx.Client(timeout=5) as client:
        # ruleid: python-cleartext-http-request
        client.get("http://partner.example.net/v1/orders")
        # ok: python-cleartext-http-request
        client.get(f"http://localhost:{port}/v1/orders")
