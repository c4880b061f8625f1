"""A Zalo OA stand-in for the tests, on a plain HTTP server because Zalo's headers (`secret_key`,
`access_token`) contain underscores, which Django's and gunicorn's servers drop. It speaks the OAuth
refresh (single-use refresh tokens) and ZNS template messages, checked against the tokens it issued."""

import json
import re
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ZaloStandIn:
    def __init__(self, refresh_token: str, lifetime: int = 90000):
        self.refresh_tokens = {refresh_token}
        self.access_tokens: dict[str, float] = {}
        self.lifetime = lifetime
        self.sent: list[dict] = []
        self.seen: set[str] = set()
        self.secret_keys: list[str] = []
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                answer = standin.oauth(self.headers, raw) if self.path == "/oauth" else standin.template(self.headers, raw)
                data = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def oauth(self, headers, raw) -> dict:
        fields = dict(urllib.parse.parse_qsl(raw.decode()))
        self.secret_keys.append(headers.get("secret_key", ""))
        if fields.get("grant_type") != "refresh_token" or fields.get("refresh_token") not in self.refresh_tokens:
            return {"error": -14014, "error_name": "Invalid refresh token"}
        self.refresh_tokens.discard(fields["refresh_token"])  # usable once
        access, refresh = f"za-{secrets.token_hex(8)}", f"zr-{secrets.token_hex(8)}"
        self.access_tokens[access] = time.time() + self.lifetime
        self.refresh_tokens.add(refresh)
        return {"access_token": access, "refresh_token": refresh, "expires_in": str(self.lifetime)}

    def template(self, headers, raw) -> dict:
        expires = self.access_tokens.get(headers.get("access_token", ""))
        if expires is None or expires < time.time():
            return {"error": -124, "message": "Access token không hợp lệ"}
        body = json.loads(raw)
        if not re.fullmatch(r"84\d{9}", str(body.get("phone", ""))) or not body.get("template_id"):
            return {"error": -108, "message": "Số điện thoại hoặc mã mẫu không hợp lệ"}
        if body.get("tracking_id") not in self.seen:  # a resent message is acknowledged, not shown twice
            self.seen.add(body.get("tracking_id"))
            self.sent.append(body)
        return {"error": 0, "message": "Success", "data": {"msg_id": body.get("tracking_id")}}

    def close(self):
        self.server.shutdown()
        self.server.server_close()
