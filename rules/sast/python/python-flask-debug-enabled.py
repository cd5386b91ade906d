import asyncio
import os

from flask import Flask

app = Flask(__name__)


async def warmup():
    return None


def configure(prod):
    if prod:
        # ok: python-flask-debug-enabled
        app.config["DEBUG"] = False
    else:
        # ruleid: python-flask-debug-enabled
        app.config["DEBUG"] = True
    # ruleid: python-flask-debug-enabled
    app.debug = True
    # ok: python-flask-debug-enabled
    asyncio.run(warmup(), debug=True)


if __name__ == "__main__":
    # ruleid: python-flask-debug-enabled
    app.run(host="0.0.0.0", port=5000, debug=True)
    # ok: python-flask-debug-enabled
    app.run(host="127.0.0.1", port=5000, debug=os.environ.get("FLASK_DEBUG") == "1")
