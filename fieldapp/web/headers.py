"""Security headers on every answer.

The Content-Security-Policy allows no inline script at all: every script is a
file of this site (HTMX, the outbox, the signature pad), and the words the
scripts show travel in a JSON data block, which is never run. Pages may not be
framed by anyone; only this site may ask for the phone's location and camera.
"""
CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",  # a signature drawn on the phone is a data: image
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
PERMISSIONS = "geolocation=(self), camera=(self), microphone=(), payment=(), usb=(), interest-cohort=()"
HSTS = "max-age=31536000; includeSubDomains"


def init(app):
    production = app.config.get("ENV_MODE") == "production"

    @app.after_request
    def _policy(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        if production:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
