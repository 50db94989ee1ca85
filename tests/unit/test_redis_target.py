"""RedisTarget: one way to reach Redis for every process, secrets kept out of messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from redis.exceptions import AuthenticationError, NoPermissionError
from redis.exceptions import ConnectionError as RedisConnectionError

from extractor.config import ExtractorSettings
from pagewire.up import redis_environ
from runtime.redis_conn import RedisTarget, acl_rules, describe_error, redact_url

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        ("redis://:s3cret@h:1/0", "redis://:***@h:1/0"),
        ("rediss://app:s3cret@h:1/2?ssl_ca_certs=/ca.pem", "rediss://app:***@h:1/2?ssl_ca_certs=/ca.pem"),
        ("redis://h/0?password=s3cret&db=1", "redis://h/0?password=***&db=1"),
        ("rediss://app@h:1/0", "rediss://app@h:1/0"),
    ],
)  # fmt: skip
def test_redact_url(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_settings_build_a_target_with_credentials_and_tls_files() -> None:
    settings = ExtractorSettings(
        redis_url="rediss://redis:6380/0", redis_username="pagewire", redis_password="pw",
        redis_ca_file="/ca.pem", redis_cert_file="/c.pem", redis_key_file="/k.pem",
    )  # fmt: skip
    target = settings.redis_target()
    assert target.kwargs() == {
        "username": "pagewire", "password": "pw", "ssl_ca_certs": "/ca.pem",
        "ssl_certfile": "/c.pem", "ssl_keyfile": "/k.pem",
    }  # fmt: skip
    assert target.tls and target.display == "rediss://pagewire@redis:6380/0"
    assert "pw" not in repr(target) and "pw" not in repr(settings)


def test_the_cli_reads_its_target_from_the_environment() -> None:
    env = {"PAGEWIRE_REDIS_USERNAME": "ops", "PAGEWIRE_REDIS_PASSWORD": "pw",
           "PAGEWIRE_REDIS_CA_FILE": ""}  # fmt: skip
    target = RedisTarget.from_env("redis://h:1/0", env)
    assert (target.username, target.password, target.ca_file) == ("ops", "pw", None)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"url": "redis://h/0", "ca_file": "/ca.pem"}, "not rediss://"),
        ({"url": "rediss://h/0", "cert_file": "/c.pem"}, "both a cert file and a key file"),
        ({"url": "http://:pw@h/0"}, "must start with redis://"),
    ],
)
def test_inconsistent_targets_are_refused(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        RedisTarget(**kwargs)
    assert "pw" not in str(caught.value)


def test_errors_are_one_sentence_without_the_password() -> None:
    target = RedisTarget("redis://app:s3cret@h:1/0")
    wrong = describe_error(AuthenticationError("WRONGPASS invalid s3cret"), target)
    assert "refused the credentials" in wrong and "s3cret" not in wrong
    assert "app:***@h:1/0" in wrong
    denied = describe_error(NoPermissionError("NOPERM no permissions to run 'xrange'"), target)
    assert "lacks a permission" in denied and "docs/security.md" in denied
    tls = RedisTarget("rediss://h:1/0", password="s3cret")
    unreachable = describe_error(RedisConnectionError("Error 111 connecting"), tls)
    assert "cannot reach Redis" in unreachable and "TLS" in unreachable


def test_up_hands_the_target_to_both_services() -> None:
    env = redis_environ(RedisTarget("rediss://h:1/0", "pagewire", "pw", "/ca.pem"))
    assert env["PAGEWIRE_EXTRACTOR_REDIS_PASSWORD"] == "pw"
    assert env["PAGEWIRE_INDEXER_REDIS_CA_FILE"] == "/ca.pem"
    assert env["PAGEWIRE_INDEXER_REDIS_URL"] == "rediss://h:1/0"
    assert "PAGEWIRE_EXTRACTOR_REDIS_CERT_FILE" not in env


def _compose_rules(compose: str, user: str) -> str:
    """The ACL rules of `user` in compose.yaml's redis command (one list item a token)."""
    tokens = []
    for line in compose.split(f"- --user\n      - {user}\n", 1)[1].splitlines():
        item = line.strip()
        if not item.startswith("- ") or item.startswith("- --"):
            break
        tokens.append(item[2:].strip('"'))
    assert tokens[0] == "on" and tokens[1].startswith(">${"), tokens  # a password from the env
    return " ".join(tokens[2:])


def test_the_acl_rules_in_compose_and_the_docs_are_the_tested_ones() -> None:
    """compose.yaml and docs/security.md show the rules the integration tests run with."""
    compose = (REPO / "compose.yaml").read_text()
    docs = (REPO / "docs" / "security.md").read_text()
    for role, user in (("service", "pagewire"), ("producer", "producer")):
        assert _compose_rules(compose, user) == acl_rules(role), role
        assert acl_rules(role) in docs, role
    with pytest.raises(ValueError, match="unknown role"):
        acl_rules("admin")
