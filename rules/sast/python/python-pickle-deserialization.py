import json
import pickle

import pandas as pd
from flask import request


def restore_session(redis_client, sid):
    blob = redis_client.get("session:" + sid)
    # ruleid: python-pickle-deserialization
    state = pickle.loads(blob)
    # ok: python-pickle-deserialization
    state2 = json.loads(blob)
    return state, state2


def upload():
    # ruleid: python-pickle-deserialization
    model = pickle.load(request.files["model"])
    # ok: python-pickle-deserialization
    data = json.load(request.files["model"])
    # ruleid: python-pickle-deserialization
    frame = pd.read_pickle(request.args["path"])
    # ok: python-pickle-deserialization
    frame2 = pd.read_json(request.args["path"])
    return model, data, frame, frame2


def save(obj, fh):
    # ok: python-pickle-deserialization
    fh.write(pickle.dumps(obj))
