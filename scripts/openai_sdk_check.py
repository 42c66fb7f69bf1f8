"""Drives the Gemini emulator's OpenAI-compatible surface with the official `openai` SDK.

Usage: openai_sdk_check.py GEMINI_STYLE_URL OPENAI_STYLE_URL CONTENT_FILTER_URL
Each URL is an emulator's root (http://127.0.0.1:PORT) started by scripts/openai-sdk-check.sh with
the keys below. Prints one line per check and "N passed, M failed"; exits 1 on any failure.
"""
import asyncio
import json
import sys

import openai
from openai import AsyncOpenAI, OpenAI

MAIN = "sdk-key-main"
LIMITED = "sdk-key-limited"  # a project with rpm 1
DEPLETED = "sdk-key-depleted"  # KeyState.prepayDepleted
UNKNOWN = "sdk-key-never-configured-9876"
MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello"}]
ANSWER = "Emulated answer to: Hello"

results = []


def check(name, condition, detail=""):
    results.append(bool(condition))
    print(("ok    " if condition else "FAIL  ") + name + ("" if condition else f"  -- {detail}"))


def guarded(name, function):
    try:
        function()
    except Exception as error:  # a check that raised is a failed check, not a crash
        check(name, False, repr(error))


def expect_error(name, kind, call, then=None):
    try:
        call()
    except kind as error:
        detail = then(error) if then else None
        check(name, detail is None, detail)
        return
    except Exception as error:
        check(name, False, f"raised {type(error).__name__}: {error}")
        return
    check(name, False, f"no {kind.__name__} raised")


def client(url, key=MAIN):
    return OpenAI(base_url=f"{url}/v1beta/openai/", api_key=key, max_retries=0, timeout=20)


def go_seconds(text):
    """Seconds in a Go duration such as 1.5s, 12ms, 6m0s; raises on anything else."""
    total, number, i = 0.0, "", 0
    while i < len(text):
        if text[i].isdigit() or text[i] == ".":
            number += text[i]
            i += 1
            continue
        unit = "ms" if text.startswith("ms", i) else text[i]
        total += float(number) * {"h": 3600, "m": 60, "s": 1, "ms": 0.001}[unit]
        number, i = "", i + len(unit)
    if number:
        raise ValueError(text)
    return total


def surface_checks(url, style):
    c = client(url)

    def chat():
        r = c.chat.completions.create(model="gemini-2.5-flash", messages=MESSAGES)
        check(f"[{style}] chat: text", r.choices[0].message.content == ANSWER, r.choices[0].message.content)
        check(f"[{style}] chat: finish_reason stop", r.choices[0].finish_reason == "stop", r.choices[0].finish_reason)
        u = r.usage
        check(f"[{style}] chat: usage adds up", u.prompt_tokens == 4 and u.completion_tokens == 4 and u.total_tokens == 8, u)
        check(f"[{style}] chat: id and object", r.id.startswith("chatcmpl-") and r.object == "chat.completion", r)

    def headers():
        raw = c.chat.completions.with_raw_response.create(model="gemini-2.5-flash", messages=MESSAGES, max_tokens=2)
        h = raw.headers
        check(f"[{style}] headers: limit-requests", h.get("x-ratelimit-limit-requests") == "1000", dict(h))
        remaining = int(h.get("x-ratelimit-remaining-requests", "-1"))
        check(f"[{style}] headers: remaining-requests", 0 <= remaining < 1000, remaining)
        check(f"[{style}] headers: reset-requests is a Go duration", 0 < go_seconds(h.get("x-ratelimit-reset-requests", "")) <= 60, h.get("x-ratelimit-reset-requests"))
        parsed = raw.parse()
        check(f"[{style}] chat: max_tokens gives finish_reason length", parsed.choices[0].finish_reason == "length", parsed.choices[0].finish_reason)

    def stream_sync():
        chunks = list(c.chat.completions.create(model="gemini-2.5-flash", messages=MESSAGES, stream=True, stream_options={"include_usage": True}))
        text = "".join(ch.choices[0].delta.content or "" for ch in chunks if ch.choices)
        check(f"[{style}] stream (sync): text", text == ANSWER, text)
        finishes = [ch.choices[0].finish_reason for ch in chunks if ch.choices and ch.choices[0].finish_reason]
        check(f"[{style}] stream (sync): one finish_reason stop", finishes == ["stop"], finishes)
        last = chunks[-1]
        check(f"[{style}] stream (sync): include_usage chunk", last.choices == [] and last.usage is not None and last.usage.total_tokens == 8, last)
        check(f"[{style}] stream (sync): usage null before", all(ch.usage is None for ch in chunks[:-1]), chunks)

    def stream_async():
        async def run():
            ac = AsyncOpenAI(base_url=f"{url}/v1beta/openai/", api_key=MAIN, max_retries=0, timeout=20)
            try:
                stream = await ac.chat.completions.create(model="gemini-2.5-flash", messages=MESSAGES, stream=True)
                text = ""
                async for chunk in stream:
                    if chunk.choices:
                        text += chunk.choices[0].delta.content or ""
                return text
            finally:
                await ac.close()
        text = asyncio.run(run())
        check(f"[{style}] stream (async): text", text == ANSWER, text)

    def embeddings():
        raw = c.embeddings.with_raw_response.create(model="gemini-embedding-001", input=["first text", "second"])
        wire = json.loads(raw.text)
        check(f"[{style}] embeddings: the SDK asked for base64 and got it", isinstance(wire["data"][0]["embedding"], str), wire["data"][0])
        default = raw.parse()
        floats = c.embeddings.create(model="gemini-embedding-001", input=["first text", "second"], encoding_format="float")
        check(f"[{style}] embeddings: two entries", [d.index for d in default.data] == [0, 1] and len(floats.data) == 2, default)
        a, b = default.data[0].embedding, floats.data[0].embedding
        check(f"[{style}] embeddings: base64 decodes to the float values", len(a) == len(b) == 8 and all(abs(x - y) < 1e-6 for x, y in zip(a, b)), (a, b))
        check(f"[{style}] embeddings: usage", floats.usage.prompt_tokens == 5, floats.usage)

    def models():
        ids = [m.id for m in c.models.list()]
        check(f"[{style}] models: list", "models/gemini-2.5-flash" in ids and "models/gemini-embedding-001" in ids, ids)
        check(f"[{style}] models: retrieve", c.models.retrieve("gemini-2.5-pro").id == "models/gemini-2.5-pro")

    for step in (chat, headers, stream_sync, stream_async, embeddings, models):
        guarded(f"[{style}] {step.__name__}", step)

    # Errors surface as the SDK's exceptions.
    chat_call = lambda key=MAIN, model="gemini-2.5-flash": client(url, key).chat.completions.create(model=model, messages=MESSAGES)
    if style == "openai":
        expect_error(f"[{style}] invalid key: AuthenticationError, invalid_api_key, key masked", openai.AuthenticationError, lambda: chat_call(UNKNOWN),
                     lambda e: None if e.status_code == 401 and e.code == "invalid_api_key" and UNKNOWN not in str(e.body) else (e.status_code, e.code, e.body))
        expect_error(f"[{style}] depleted balance: RateLimitError insufficient_quota", openai.RateLimitError, lambda: chat_call(DEPLETED),
                     lambda e: None if e.code == "insufficient_quota" and e.type == "insufficient_quota" else (e.code, e.type))
        expect_error(f"[{style}] unknown model: NotFoundError model_not_found", openai.NotFoundError, lambda: chat_call(model="gemini-0-nothing"),
                     lambda e: None if e.code == "model_not_found" else e.code)
        expect_error(f"[{style}] unknown field: BadRequestError invalid_request_error", openai.BadRequestError,
                     lambda: client(url).chat.completions.create(model="gemini-2.5-flash", messages=MESSAGES, extra_body={"top_k": 3}),
                     lambda e: None if e.type == "invalid_request_error" else e.type)
    else:
        def google(e, status):
            body = e.body
            ok = isinstance(body, list) and len(body) == 1 and body[0]["error"]["status"] == status
            return None if ok else body
        expect_error(f"[{style}] invalid key: BadRequestError, array body API_KEY_INVALID", openai.BadRequestError, lambda: chat_call(UNKNOWN),
                     lambda e: google(e, "INVALID_ARGUMENT") or (None if UNKNOWN not in json.dumps(e.body) else "key echoed"))
        expect_error(f"[{style}] depleted balance: 402 APIStatusError", openai.APIStatusError, lambda: chat_call(DEPLETED),
                     lambda e: None if e.status_code == 402 else e.status_code)
        expect_error(f"[{style}] unknown model: NotFoundError, array body NOT_FOUND", openai.NotFoundError, lambda: chat_call(model="gemini-0-nothing"),
                     lambda e: google(e, "NOT_FOUND"))
    guarded(f"[{style}] first request of the rpm-1 project", lambda: chat_call(LIMITED))

    def rate_limited(e):
        retry = e.response.headers.get("retry-after")
        if not (retry and 1 <= int(retry) <= 60):
            return f"retry-after {retry}"
        if e.response.headers.get("x-ratelimit-remaining-requests") != "0":
            return f"remaining {e.response.headers.get('x-ratelimit-remaining-requests')}"
        if style == "openai":
            return None if e.code == "rate_limit_exceeded" else e.code
        return google(e, "RESOURCE_EXHAUSTED")
    expect_error(f"[{style}] 429 after rpm: RateLimitError with retry-after", openai.RateLimitError, lambda: chat_call(LIMITED), rate_limited)


def content_filter_checks(url):
    c = client(url)

    def unary():
        r = c.chat.completions.create(model="gemini-2.5-flash", messages=MESSAGES)
        check("[filter] chat: finish_reason content_filter, no content", r.choices[0].finish_reason == "content_filter" and r.choices[0].message.content is None, r)

    def streamed():
        chunks = list(c.chat.completions.create(model="gemini-2.5-flash", messages=MESSAGES, stream=True))
        finishes = [ch.choices[0].finish_reason for ch in chunks if ch.choices and ch.choices[0].finish_reason]
        check("[filter] stream: finish_reason content_filter", finishes == ["content_filter"], finishes)

    guarded("[filter] chat", unary)
    guarded("[filter] stream", streamed)


def main():
    gemini_url, openai_url, filter_url = sys.argv[1:4]
    print(f"openai SDK {openai.__version__}")
    surface_checks(gemini_url, "gemini")
    surface_checks(openai_url, "openai")
    content_filter_checks(filter_url)
    passed = sum(results)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
