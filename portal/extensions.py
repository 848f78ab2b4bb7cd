"""Extensions, created without an app and bound in ``create_app``."""

from authlib.integrations.flask_client import OAuth
from flask_babel import Babel
from flask_htmx import HTMX
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
oauth = OAuth()
# flask-htmx 0.4 is used for its request helper only (``htmx`` is truthy for htmx requests).
htmx = HTMX()
