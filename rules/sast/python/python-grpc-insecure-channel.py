import grpc
import grpc.aio


def clients(port):
    # ruleid: python-grpc-insecure-channel
    payments = grpc.insecure_channel("payments.example.com:443")
    # ok: python-grpc-insecure-channel
    payments_tls = grpc.secure_channel("payments.example.com:443", grpc.ssl_channel_credentials())
    # ruleid: python-grpc-insecure-channel
    orders = grpc.insecure_channel("dns:///10.0.3.7:50051")
    # ok: python-grpc-insecure-channel
    local = grpc.insecure_channel("localhost:50051")
    # ok: python-grpc-insecure-channel
    loop = grpc.insecure_channel("127.0.0.1:50051")
    # ok: python-grpc-insecure-channel
    sock = grpc.insecure_channel("unix:///run/app/grpc.sock")
    return payments, payments_tls, orders, local, loop, sock


async def async_client():
    # ruleid: python-grpc-insecure-channel
    async with grpc.aio.insecure_channel(target="inventory.internal:50051") as ch:
        pass
    # ok: python-grpc-insecure-channel
    async with grpc.aio.insecure_channel("inventory.svc.cluster.local:50051") as ch:
        pass
    return ch


def from_config(cfg):
    # ok: python-grpc-insecure-channel
    return grpc.insecure_channel(cfg.target)
