"""The README's "Try it with curl" story, run as it is written (bash and curl) against a live
server: every command succeeds, and the e-mail text the README quotes is what the server prints.

The commands and the quoted text are read from README.md itself, so a change to the product or to
the README that makes them disagree fails here.
"""

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.history.factories import catalog_tracks

ROOT = Path(__file__).resolve().parents[2]
SECTION = "## Try it with curl"
# The comment that tells the reader where the code is: ... ("<quoted e-mail text> ...")
CODE_COMMENT = re.compile(r'^#.*\("(?P<quote>[^"]+?) \.\.\."\)\s*$')
OTP_PLACEHOLDER = re.compile(r'"otp": "(\d{6})"')
WAIT_SECONDS = 60

pytestmark = [
    pytest.mark.slow,  # a live server and the CNN
    pytest.mark.skipif(shutil.which("curl") is None, reason="the README's story needs curl"),
]


def _readme_story() -> list[str]:
    """The lines of the first ```sh block of the README's curl section."""
    text = (ROOT / "README.md").read_text()
    assert SECTION in text, f"README.md has no {SECTION!r} section"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```sh\n(.*?)```", section, re.S)
    assert match, "the curl section has no ```sh block"
    return match.group(1).splitlines()


def _served_url() -> str:
    """http://HOST:PORT of `make run` (the Makefile's defaults)."""
    makefile = (ROOT / "Makefile").read_text()
    host = re.search(r"^HOST \?= (\S+)$", makefile, re.M).group(1)
    port = re.search(r"^PORT \?= (\S+)$", makefile, re.M).group(1)
    return f"http://{host}:{port}"


def _json_bodies(output: str) -> list[dict]:
    """The JSON answers curl printed one after another (curl -s adds no newline)."""
    decoder, bodies, at = json.JSONDecoder(), [], 0
    while at < len(output):
        if output[at].isspace():
            at += 1
            continue
        body, at = decoder.raw_decode(output, at)
        bodies.append(body)
    return bodies


def _wait_for_code(capsys, quote: str, proc) -> str:
    """The code the server printed after the README's quoted text (console e-mail)."""
    pattern = re.compile(re.escape(quote) + r" (\d{6})\b")
    printed = ""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline and proc.poll() is None:
        printed += capsys.readouterr().out
        if match := pattern.search(printed):
            return match.group(1)
        time.sleep(0.1)
    proc.kill()
    pytest.fail(f"the server never printed {quote!r} followed by a code; it printed:\n{printed[-3000:]}")


def test_the_readme_curl_story_runs_as_written(live_server, settings, capsys, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # EMAIL_URL's default
    settings.MEDIA_ROOT = tmp_path / "media"
    catalog_tracks(40)

    lines = _readme_story()
    script = "\n".join(lines)
    assert _served_url() in script, "the story does not talk to the server `make run` starts"
    comments = [(i, CODE_COMMENT.match(line)) for i, line in enumerate(lines)]
    comments = [(i, match.group("quote")) for i, match in comments if match]
    assert len(comments) == 1, "expected one comment quoting the e-mail with the code"
    where, quote = comments[0]
    assert len(OTP_PLACEHOLDER.findall(script)) == 1, "expected one verify-email command with a code"

    # The reader's part (reading the code off the server's terminal) is played by the test: the
    # shell waits at the comment for the code, then runs the verify-email command with it.
    code_file = tmp_path / "code"
    lines[where] = f'until [ -s {code_file} ]; do sleep 0.1; done; OTP=$(cat {code_file})'
    script = "set -e\n" + "\n".join(lines).replace(_served_url(), live_server.url)
    script = OTP_PLACEHOLDER.sub(lambda _: '"otp": "\'"$OTP"\'"', script)  # inside a '...' argument

    proc = subprocess.Popen(["bash", "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    code_file.write_text(_wait_for_code(capsys, quote, proc))
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err

    # One answer per command that prints (the others feed a shell variable), each a success.
    printing = [line for line in lines if line.startswith("curl ")]
    answers = _json_bodies(out)
    assert len(answers) == len(printing), out
    for line, answer in zip(printing, answers):
        assert answer["success"] is True, (line, answer)
    by_command = dict(zip(printing, answers))
    detection = next(answer for line, answer in by_command.items() if "/mood-detection" in line)
    promised = re.search(r"# mood \+ (\d+) tracks", script)
    assert promised, "the mood-detection comment no longer says how many tracks come back"
    assert len(detection["data"]["music"]) == int(promised.group(1))
    history = next(answer for line, answer in by_command.items() if re.search(r"\$B/history -H", line))
    assert history["data"][0]["uuid"] == detection["data"]["history_uuid"]  # newest first
