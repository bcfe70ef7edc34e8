// When the tablet tries to sync again after a failure (pwa/static/js/retry.js, used by sync.js): a retry waits
// longer each time but never more than a few minutes, never sooner than the server asked, and only failures
// that time or a new login can mend are retried — a revoked tablet stops.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { ApiError } from "../../pwa/static/js/api.js";
import { afterFailure, backoff, BACKOFF_MAX_MS, BACKOFF_MIN_MS, JITTER } from "../../pwa/static/js/retry.js";

const LOWEST = 0;
const HIGHEST = 1 - Number.EPSILON; // Math.random() is below 1

/** The waits of attempts 1…n with Math.random() fixed at `random`. */
function schedule(t, random, attempts) {
  t.mock.method(Math, "random", () => random);
  const waits = Array.from({ length: attempts }, (_, i) => backoff(i + 1));
  t.mock.restoreAll();
  return waits;
}

describe("the backoff schedule", () => {
  test("without jitter the waits double from 2 seconds up to 5 minutes, then stay there", (t) => {
    assert.deepEqual(schedule(t, 0.5, 11).map((ms) => ms / 1000), [2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
    assert.equal(BACKOFF_MIN_MS, 2000);
    assert.equal(BACKOFF_MAX_MS, 5 * 60_000);
  });

  test("each retry waits longer than the one before until the cap, whatever the jitter", (t) => {
    const shortest = schedule(t, LOWEST, 8);
    const longest = schedule(t, HIGHEST, 8);
    for (let i = 1; i < 8; i += 1) assert.ok(shortest[i] > longest[i - 1], `attempt ${i + 1} after attempt ${i}`);
  });

  test("a retry never waits more than the cap and its jitter, however long the tablet has been failing", (t) => {
    for (const waits of [schedule(t, LOWEST, 2000), schedule(t, HIGHEST, 2000)]) {
      for (const wait of waits) assert.ok(Number.isFinite(wait) && wait <= BACKOFF_MAX_MS * (1 + JITTER), String(wait));
    }
    assert.equal(schedule(t, LOWEST, 50).at(-1), BACKOFF_MAX_MS * (1 - JITTER));
  });

  test("the jitter spreads a team's tablets by at most a fifth either way", (t) => {
    const [low] = schedule(t, LOWEST, 1);
    const [high] = schedule(t, HIGHEST, 1);
    assert.equal(low, BACKOFF_MIN_MS * 0.8);
    assert.ok(high <= BACKOFF_MIN_MS * 1.2 && high > BACKOFF_MIN_MS * 1.19, String(high));
  });

  test("the server's Retry-After is respected, and never shortens the wait", (t) => {
    t.mock.method(Math, "random", () => 0.5);
    assert.equal(backoff(1, 120), 120_000);
    assert.equal(backoff(9, 10), BACKOFF_MAX_MS);
    assert.equal(backoff(1, null), BACKOFF_MIN_MS);
    assert.equal(backoff(0), BACKOFF_MIN_MS, "a first failure counted from zero waits the shortest time");
  });
});

describe("which failures are retried", () => {
  test("no signal, a timeout, a busy or failing server: tried again later", () => {
    for (const error of [new ApiError(0, "NETWORK", "无法连接服务器"), new ApiError(0, "TIMEOUT", "服务器无响应"),
      new ApiError(503, "RETRY_LATER", "服务器暂时无法保存，稍后自动重试", [], 30), new ApiError(429, "RATE_LIMITED", "请求过多"),
      new ApiError(500, "INTERNAL", "服务器错误"), new ApiError(0, "NO_PROGRESS", "服务器没有处理任何变更")]) {
      assert.equal(error.transient, true, error.code);
      assert.equal(afterFailure(error), "retry", error.code);
    }
  });

  test("a revoked tablet stops: nothing it sends will be accepted again", () => {
    const error = new ApiError(403, "DEVICE_REVOKED", "设备已停用");
    assert.equal(error.transient, false);
    assert.equal(afterFailure(error), "stop");
  });

  test("an expired session waits for the password, without touching anything on the tablet", () => {
    for (const error of [new ApiError(401, "SESSION_EXPIRED", "登录已过期，请重新登录"), new ApiError(401, "TOKEN_INVALID", "x"),
      new ApiError(409, "DEVICE_MISMATCH", "设备不符")]) {
      assert.equal(afterFailure(error), "login", error.code);
    }
  });

  test("a refused request is not transient, yet the run is tried again (the server may be fixed meanwhile)", () => {
    const refused = new ApiError(422, "VALIDATION", "数据有误");
    assert.equal(refused.transient, false);
    assert.equal(afterFailure(refused), "retry");
    assert.equal(afterFailure(new TypeError("x is undefined")), "retry");
  });

  test("the server's Retry-After travels with the error", () => {
    assert.equal(new ApiError(503, "RETRY_LATER", "稍后", [], 30).retryAfter, 30);
    assert.equal(new ApiError(0, "NETWORK", "无法连接").retryAfter, null);
  });
});
