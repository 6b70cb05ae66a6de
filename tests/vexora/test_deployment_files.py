"""No Docker engine runs here, so the compose file and Dockerfile are checked for structure."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


APP_SERVICES = ("web", "worker", "beat", "setup")
LONG_RUNNING = ("proxy", "web", "worker", "beat", "db", "redis", "redis-transit")


def test_compose_has_the_proxy_the_app_its_workers_and_the_stores_with_health_checks():
    services = _compose()["services"]
    assert set(services) == {"proxy", "web", "worker", "beat", "setup", "db", "redis", "redis-transit"}
    assert services["proxy"]["image"].startswith("nginx:")
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7") and services["redis-transit"]["image"].startswith("redis:7")
    for name in LONG_RUNNING:
        assert services[name]["healthcheck"]["test"], name
        assert services[name]["restart"] == "unless-stopped", name
    assert services["setup"]["restart"] == "no"


def test_web_scales_behind_the_proxy():
    services = _compose()["services"]
    web, proxy = services["web"], services["proxy"]
    assert "ports" not in web and web["expose"] == ["8000"]  # replicas share no host port
    assert [port.split(":")[-1] for port in proxy["ports"]] == ["80"]
    assert proxy["depends_on"] == {"web": {"condition": "service_healthy"}}
    assert "readyz" in " ".join(web["healthcheck"]["test"])
    assert web["environment"]["FORWARDED_ALLOW_IPS"] == "*" and web["environment"]["NUM_PROXIES"] == "1"


def test_the_proxy_balances_every_replica_serves_static_files_and_hides_metrics():
    proxy = _compose()["services"]["proxy"]
    assert "./docker/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    assert "static:/srv/static:ro" in proxy["volumes"]
    conf = (ROOT / "docker" / "nginx.conf").read_text()
    assert "server web:8000 resolve" in conf and "resolver 127.0.0.11" in conf  # follows --scale web=N
    assert "location /static/ {\n        alias /srv/static/;" in conf
    assert "location = /metrics {\n        return 403;" in conf
    assert "proxy_set_header X-Request-ID" in conf and "proxy_request_buffering on" in conf


def test_setup_runs_once_before_the_app_and_fills_the_static_volume():
    services = _compose()["services"]
    assert services["setup"]["environment"]["VEXORA_SETUP"] == "1"
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["VEXORA_SETUP"] == "0", name
        assert services[name]["depends_on"]["setup"] == {"condition": "service_completed_successfully"}, name
    for name in APP_SERVICES:
        assert "static:/app/staticfiles" in services[name]["volumes"], name
    entrypoint = (ROOT / "docker" / "entrypoint.sh").read_text()
    assert 'if [ "${VEXORA_SETUP:-1}" = "1" ]' in entrypoint and "collectstatic" in entrypoint


def test_app_services_are_wired_to_the_stores_and_never_default_the_secret_key():
    services = _compose()["services"]
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"], name
        assert env["REDIS_URL"].startswith("redis://redis:6379/"), name
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:6379/"), name
        assert env["CELERY_BROKER_URL"] != env["REDIS_URL"], name
        assert env["MOOD_INFERENCE_REDIS_URL"].startswith("redis://redis-transit:6379/"), name
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?"), name  # no default: compose refuses to start
        for dependency in ("db", "redis"):
            assert services[name]["depends_on"][dependency] == {"condition": "service_healthy"}, name


def test_workers_take_both_queues_and_beat_runs_the_schedule():
    services = _compose()["services"]
    worker = " ".join(services["worker"]["command"])
    assert worker.startswith("celery -A vexora worker") and "-Q celery,inference" in worker
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    assert " ".join(services["beat"]["command"]).startswith("celery -A vexora beat")


def test_redis_keeps_an_append_only_file_and_the_transit_redis_keeps_nothing():
    compose = _compose()
    redis, transit = compose["services"]["redis"], compose["services"]["redis-transit"]
    assert "--appendonly yes" in " ".join(redis["command"])
    assert [mount.split(":")[0] for mount in redis["volumes"]] == ["redisdata"]
    assert "--appendonly no" in " ".join(transit["command"]) and ["--save", ""] == transit["command"][1:3]
    assert "volumes" not in transit


def test_stores_live_in_named_volumes():
    compose = _compose()
    for name in ("db", "redis"):
        named = {mount.split(":")[0] for mount in compose["services"][name]["volumes"]}
        assert named <= set(compose["volumes"]), name
    assert {"pgdata", "redisdata", "media", "static"} <= set(compose["volumes"])


def test_watch_syncs_code_and_rebuilds_on_requirements():
    services = _compose()["services"]
    for name in ("web", "worker"):
        watch = services[name]["develop"]["watch"]
        actions = {(rule["action"], rule["path"]) for rule in watch}
        assert ("rebuild", "requirements.txt") in actions, name
        sync = [rule for rule in watch if rule["action"].startswith("sync")]
        assert sync and sync[0]["target"] == "/app", name
        assert ".venv/" in sync[0]["ignore"], name


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
