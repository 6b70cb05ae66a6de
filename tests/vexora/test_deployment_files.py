"""No Docker engine runs here, so the compose file and Dockerfile are checked for structure."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_web_db_and_redis_with_health_checks():
    services = _compose()["services"]
    assert set(services) == {"web", "db", "redis"}
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    for name in ("web", "db", "redis"):
        assert services[name]["healthcheck"]["test"], name


def test_web_waits_for_healthy_db_and_redis_and_is_wired_to_them():
    web = _compose()["services"]["web"]
    assert web["depends_on"] == {"db": {"condition": "service_healthy"}, "redis": {"condition": "service_healthy"}}
    env = web["environment"]
    assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379")
    assert "readyz" in " ".join(web["healthcheck"]["test"])


def test_database_lives_in_a_named_volume():
    compose = _compose()
    mounts = compose["services"]["db"]["volumes"]
    named = {m.split(":")[0] for m in mounts}
    assert named & set(compose["volumes"]), mounts


def test_watch_syncs_code_and_rebuilds_on_requirements():
    watch = _compose()["services"]["web"]["develop"]["watch"]
    actions = {(rule["action"], rule["path"]) for rule in watch}
    assert ("rebuild", "requirements.txt") in actions
    sync = [rule for rule in watch if rule["action"].startswith("sync")]
    assert sync and sync[0]["target"] == "/app"
    assert ".venv/" in sync[0]["ignore"]


def test_dockerfile_runs_gunicorn_as_non_root():
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    assert [line for line in lines if line.startswith("FROM ")] == ["FROM python:3.11-slim"]
    users = [line for line in lines if line.startswith("USER ")]
    assert users and users[-1] != "USER root"
    assert any(line.startswith("CMD") and "gunicorn" in line and '"-c", "gunicorn.conf.py"' in line for line in lines)
    assert any("pip install -r requirements.txt" in line for line in lines)


def _pinned(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-r"):
            name, version = line.split("==")
            pins[name.lower()] = version
    return pins


def test_the_image_gets_the_app_packages_and_the_tests_get_those_plus_the_test_tools():
    app, dev = _pinned(ROOT / "requirements.txt"), _pinned(ROOT / "requirements-dev.txt")
    assert {"django", "torch", "gunicorn"} <= set(app)
    assert {"pytest", "pytest-django", "playwright"} <= set(dev)
    assert not {"pytest", "pytest-django", "factory-boy", "aiosmtpd", "playwright"} & set(app)
    assert not set(app) & set(dev)  # each package pinned once
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text().splitlines()


def test_every_setting_is_documented_in_env_example():
    documented = {
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line
    }
    settings_src = (ROOT / "vexora" / "settings.py").read_text()
    import re

    used = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_src))
    assert used, "no env() calls found"
    assert used <= documented, sorted(used - documented)
