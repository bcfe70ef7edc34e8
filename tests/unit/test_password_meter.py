"""The password meter on the tablet (pwa/static/js/passwords.js, run here under node) and the server's policy
(server/domain/passwords.py) agree on every rule the meter can check; the common-password list is the server's
alone, so a password the meter passes may still be refused there, never the other way round."""
import json

from server.domain.passwords import password_problems, policy
from tests.support import node_json

CASES = [("12345678", "lh_sampler"), ("aaaaaaaa", None), ("Abc1", None), ("Wangxiao#2026", "wangxiao"),
         ("Shui-Jing7", "xinren"), ("短密码Ab1", None), ("ÄÖÜäöü12", None), ("Ziji-Mima9", "ziji"), ("", None),
         ("P@ssw0rd", None)]


def test_the_meter_and_the_server_agree_on_every_rule_the_meter_checks():
    tablet = node_json('import { assess, DEFAULT_POLICY } from "./pwa/static/js/passwords.js";\n'
                       f"const cases = {json.dumps(CASES, ensure_ascii=False)};\n"
                       "process.stdout.write(JSON.stringify({policy: DEFAULT_POLICY, unmet: cases.map(([p, u]) => "
                       "assess(p, u).unmet.map((rule) => rule.code).sort())}));\n")
    assert tablet["policy"] == policy()
    server = [sorted(p["code"] for p in password_problems(password, username) if p["code"] != "common")
              for password, username in CASES]
    assert tablet["unmet"] == server
    assert [p["code"] for p in password_problems("P@ssw0rd", None)] == ["common"]  # the server's list only
