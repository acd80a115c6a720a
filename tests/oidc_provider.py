"""A real OpenID Connect provider on localhost for the sign-on tests: pyop
(the IdentityPython OP library) behind a few Flask routes, with discovery,
JWKS and RS256-signed ID tokens, over HTTPS with a certificate made for the
test (OpenID Connect asks an issuer for https; `ca_file` is what to trust).

`tamper` makes it misbehave the way a wrong or hostile provider would: the
ID token it hands out is signed again (with its own key, or `foreign_key`)
after these claims are changed."""
import base64
import datetime
import ipaddress
import json
import os
import ssl
import threading
import time

from Cryptodome.PublicKey import RSA
from flask import Flask, Response, redirect, request
from jwkest.jwk import RSAKey
from oic.oic.message import IdToken
from pyop.authz_state import AuthorizationState
from pyop.provider import Provider
from pyop.subject_identifier import HashBasedSubjectIdentifierFactory
from pyop.userinfo import Userinfo
from werkzeug.serving import make_server

CLIENT_ID, CLIENT_SECRET = "fieldapp-test", "provider-test-secret-0123456789"
REDIRECT_URI = "http://localhost/login/sso/callback"


class DistrictProvider:
    def __init__(self, folder):
        self.key = RSAKey(key=RSA.generate(2048), use="sig", alg="RS256", kid="district-1")
        self.foreign_key = None
        self.email, self.email_verified, self.tamper = None, True, {}
        self.app = Flask("test-provider")
        self._routes()
        self.ca_file, key_file = _certificate(folder)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.ca_file, key_file)
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True, ssl_context=context)
        self.issuer = f"https://127.0.0.1:{self.server.server_port}"
        self.provider = self._provider()
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(5)

    def _provider(self):
        configuration = {
            "issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "response_types_supported": ["code"], "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"]}
        clients = {CLIENT_ID: {"client_secret": CLIENT_SECRET, "redirect_uris": [REDIRECT_URI],
                               "response_types": ["code"],
                               "token_endpoint_auth_method": "client_secret_basic"}}
        return Provider(self.key, configuration,
                        AuthorizationState(HashBasedSubjectIdentifierFactory("test-salt")),
                        clients, Userinfo(_AnyUser(self)))

    def _routes(self):
        app = self.app

        @app.route("/.well-known/openid-configuration")
        def discovery():
            return Response(self.provider.provider_configuration.to_json(),
                            mimetype="application/json")

        @app.route("/jwks")
        def jwks():
            return Response(json.dumps(self.provider.jwks), mimetype="application/json")

        @app.route("/authorize")
        def authorize():
            # The person signs in at the district and consents: here, at once.
            authn = self.provider.parse_authentication_request(request.query_string.decode())
            answer = self.provider.authorize(authn, self.email, extra_id_token_claims={
                "email": self.email, "email_verified": self.email_verified})
            return redirect(answer.request(authn["redirect_uri"], False))

        @app.route("/userinfo", methods=["GET", "POST"])
        def userinfo():
            answer = self.provider.handle_userinfo_request(request.get_data(as_text=True),
                                                           dict(request.headers))
            return Response(answer.to_json(), mimetype="application/json")

        @app.route("/token", methods=["POST"])
        def token():
            answer = self.provider.handle_token_request(request.get_data(as_text=True),
                                                        dict(request.headers)).to_dict()
            if self.tamper or self.foreign_key:
                answer["id_token"] = self._signed_again(answer["id_token"])
            return Response(json.dumps(answer), mimetype="application/json")

    def _signed_again(self, id_token):
        payload = id_token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims.update(self.tamper)
        return IdToken(**claims).to_jwt([self.foreign_key or self.key], "RS256")

    def expired_claims(self):
        now = int(time.time())
        return {"iat": now - 7200, "exp": now - 3600}


class _AnyUser(dict):
    """Userinfo for whoever the test says signs in (the email is the user id)."""

    def __init__(self, district):
        super().__init__()
        self.district = district

    def __getitem__(self, user_id):
        return {"email": user_id, "email_verified": self.district.email_verified}

    def __contains__(self, user_id):
        return True


def _certificate(folder):
    """A self-signed certificate for 127.0.0.1: (certificate file, key file)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = os.path.join(folder, "provider.pem"), os.path.join(folder, "provider.key")
    with open(cert_file, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_file, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return cert_file, key_file
