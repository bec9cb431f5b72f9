"""`jxc chat` as a real process on the LLM path: the settings a user sets, the real clients
against the local fake servers, the reply in time whatever the endpoint does, and with `none`
(the default) no LangChain module loaded and no socket opened."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import RUN_DIR, cli_env, jxc
from tests.e2e.fake_llm import FakeLLM, call, hang, say
from tests.e2e.test_llm_chat import FREE, FREE_ZH

SDKS = ("langchain_core", "langchain_openai", "langchain_ollama", "openai", "ollama")


@pytest.fixture
def fake():
    server = FakeLLM().start()
    yield server
    server.stop()


def llm_env(fake, provider="openai", **more) -> dict:
    url = fake.openai_url if provider == "openai" else fake.ollama_url
    return {
        "JXC_LLM_PROVIDER": provider,
        "JXC_LLM_MODEL": "fake-model",
        "JXC_LLM_BASE_URL": url,
        "JXC_LLM_API_KEY": "test-key",
        **more,
    }


def chat(db_url, user, lines, env) -> subprocess.CompletedProcess:
    return jxc(db_url, "chat", "--user", user, input="\n".join(lines) + "\n", process=True, env=env)


def test_a_proposal_from_the_model_is_confirmed_in_the_console(master_db, fake):
    fake.script(call("stock_receive", item="M6螺栓", qty="100", unit_cost=0.12))
    proc = chat(master_db, "li", [FREE_ZH, "是"], llm_env(fake))
    assert proc.returncode == 0, proc.stderr
    proposal, done = proc.stdout.split("\n\n")[:2]
    assert proposal.startswith(
        "入库 M6螺栓 (M6-20) 100，仓库 MAIN，单价 0.12，金额 12.00。确认吗？"
    )
    assert proposal.endswith("（回复 是 / 否）")
    assert done.startswith("已入库")
    (row,) = json.loads(jxc(master_db, "stock", "M6-20", "--json").stdout)
    assert (row["on_hand"], row["value"]) == ("100", "12.00")
    assert "Traceback" not in proc.stderr


def test_ollama_answers_a_question_in_the_console(master_db, fake):
    fake.script(call("report", name="top_sellers", period="last_month"), say("Nothing sold."))
    proc = chat(master_db, "tom", [FREE], llm_env(fake, "ollama"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith("Nothing sold.")
    assert [r.path for r in fake.seen()] == ["/api/chat", "/api/chat"]


@pytest.mark.slow
def test_a_hanging_endpoint_is_answered_within_30_seconds_and_the_parser_still_works(
    master_db, fake
):
    fake.answer = lambda body: hang()
    proc = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "chat", "--user", "li"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**cli_env(master_db), **llm_env(fake)},  # the default timeout: 20 s a request
        cwd=RUN_DIR,
    )
    answers: queue.Queue[tuple[float, str]] = queue.Queue()

    def read() -> None:
        block = []
        for line in proc.stdout:
            if line.strip():
                block.append(line.rstrip("\n"))
            elif block:
                answers.put((time.monotonic(), "\n".join(block)))
                block = []

    threading.Thread(target=read, daemon=True).start()
    try:
        proc.stdin.write("入库 M6 1 个\n否\n")  # the process is up before the clock starts
        proc.stdin.flush()
        [answers.get(timeout=60) for _ in range(2)]
        sent = time.monotonic()
        proc.stdin.write(FREE + "\n入库 M6 100 个\n是\n")
        proc.stdin.close()
        (at, failed), (_, proposal), (_, done) = [answers.get(timeout=60) for _ in range(3)]
    finally:
        proc.wait(60)
    assert failed.startswith("我没能理解这句话：语言模型没有应答"), failed
    assert at - sent < 30, at - sent
    assert proposal.startswith("入库 M6螺栓 (M6-20) 100") and done.startswith("已入库")
    assert len(fake.seen()) == 2  # asked once, and once again while time remained
    assert proc.returncode == 0


def test_an_endpoint_that_is_down_leaves_the_console_working(master_db):
    down = FakeLLM().start()
    down.stop()
    proc = chat(master_db, "tom", [FREE, "how many M6 do we have"], llm_env(down))
    first, second = proc.stdout.split("\n\n")[:2]
    assert first.startswith("I could not understand that: the language model did not answer")
    assert second.startswith("M6-20 @ MAIN")
    assert "Traceback" not in proc.stderr


_AUDIT = """
import json, sys
events = []
sys.addaudithook(
    lambda event, args: events.append(event)
    if event in ("socket.connect", "socket.bind", "socket.getaddrinfo") else None
)
sys.argv = ["jxc", *sys.argv[1:]]
from adapters.cli.main import main
try:
    main()
except SystemExit:
    pass
loaded = sorted({m.split(".")[0] for m in sys.modules} & set(SDKS))
sys.stderr.write("AUDIT " + json.dumps({"events": events, "modules": loaded}) + "\\n")
""".replace("SDKS", repr(SDKS))


def audited(db_url, args, lines, env) -> tuple[str, dict]:
    proc = subprocess.run(
        [sys.executable, "-c", _AUDIT, *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env={**cli_env(db_url), **env},
        cwd=RUN_DIR,
        timeout=120,
    )
    (audit,) = [line for line in proc.stderr.splitlines() if line.startswith("AUDIT ")]
    return proc.stdout, json.loads(audit.removeprefix("AUDIT "))


def test_with_none_no_client_is_built_no_module_loaded_no_socket_opened(master_db):
    out, audit = audited(master_db, ["chat", "--user", "tom"], [FREE, "how many M6"], {})
    assert out.startswith("I did not understand that.")
    assert audit == {"events": [], "modules": []}
    out, audit = audited(master_db, ["stock", "M6-20"], [], {"JXC_LLM_PROVIDER": "none"})
    assert audit == {"events": [], "modules": []}


def test_a_configured_model_is_loaded_only_for_what_the_parser_cannot_read(master_db, fake):
    out, audit = audited(master_db, ["chat", "--user", "tom"], ["how many M6"], llm_env(fake))
    assert out.startswith("M6-20 @ MAIN")
    assert audit == {"events": [], "modules": []}
    assert fake.seen() == []


def test_a_provider_that_does_not_exist_is_refused_at_start_up(master_db):
    proc = jxc(master_db, "stock", process=True, env={"JXC_LLM_PROVIDER": "gpt"})
    assert proc.returncode == 1
    assert "JXC_LLM_PROVIDER" in proc.stderr and "none | openai | ollama" in proc.stderr
    proc = jxc(master_db, "stock", process=True, env={"JXC_LLM_PROVIDER": "ollama"})
    assert proc.returncode == 1 and "JXC_LLM_MODEL" in proc.stderr
