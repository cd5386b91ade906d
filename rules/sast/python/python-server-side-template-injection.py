import jinja2
from flask import Flask, render_template_string, request

app = Flask(__name__)
GREETING = "Hello {{ name }}"


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    # ruleid: python-server-side-template-injection
    page = render_template_string("<h1>Hello " + name + "</h1>")
    # ok: python-server-side-template-injection
    page2 = render_template_string("<h1>Hello {{ name }}</h1>", name=name)
    # ruleid: python-server-side-template-injection
    page3 = jinja2.Template(f"Dear {name},").render()
    # ok: python-server-side-template-injection
    page4 = jinja2.Template("Dear {{ name }},").render(name=name)
    return page + page2 + page3 + page4


def mail(body_template, user):
    env = jinja2.Environment(autoescape=True)
    # ruleid: python-server-side-template-injection
    tpl = env.from_string(body_template)
    # ok: python-server-side-template-injection
    tpl2 = env.from_string("Hi {{ user.name }}")
    return tpl.render(user=user) + tpl2.render(user=user)
