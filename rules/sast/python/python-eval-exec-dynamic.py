import ast
import json


def calculator(request):
    expr = request.args["expr"]
    # ruleid: python-eval-exec-dynamic
    result = eval(expr)
    # ok: python-eval-exec-dynamic
    safe = ast.literal_eval(expr)
    return result, safe


def plugin(source_text, namespace):
    # ruleid: python-eval-exec-dynamic
    exec(source_text, namespace)
    # ok: python-eval-exec-dynamic
    exec("import math", namespace)
    # ruleid: python-eval-exec-dynamic
    return eval(f"namespace['{source_text}']")


def config(raw, model):
    # ok: python-eval-exec-dynamic
    data = json.loads(raw)
    # ok: python-eval-exec-dynamic
    model.eval(raw)
    # ruleid: python-eval-exec-dynamic
    model.results.append(eval(raw))
    # ok: python-eval-exec-dynamic
    return eval("1 + 2"), data
