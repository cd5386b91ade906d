import yaml
from yaml import CSafeLoader, SafeLoader


def read_config(path):
    with open(path) as fh:
        text = fh.read()
    # ruleid: python-yaml-unsafe-load
    a = yaml.load(text)
    # ok: python-yaml-unsafe-load
    b = yaml.safe_load(text)
    # ruleid: python-yaml-unsafe-load
    c = yaml.load(text, Loader=yaml.Loader)
    # ok: python-yaml-unsafe-load
    d = yaml.load(text, Loader=yaml.SafeLoader)
    # ruleid: python-yaml-unsafe-load
    e = yaml.unsafe_load(text)
    # ok: python-yaml-unsafe-load
    f = yaml.load(text, Loader=CSafeLoader)
    # ruleid: python-yaml-unsafe-load
    g = list(yaml.load_all(text, Loader=yaml.UnsafeLoader))
    # ok: python-yaml-unsafe-load
    h = list(yaml.load_all(text, SafeLoader))
    return a, b, c, d, e, f, g, h
