"""The start page (R11): the essence first, the login button before anything else."""

from flask import Blueprint, g, redirect, render_template, url_for
from werkzeug.wrappers import Response

bp = Blueprint("start", __name__)


@bp.get("/")
def index() -> Response | str:
    if g.account is not None:
        return redirect(url_for("messages.inbox"))
    return render_template("views/start/index.html")
