"""The answers to rscp-bridge's commands as the broker tests see them.

One mosquitto_sub on every PREFIX/set/.../result topic (up to four levels
below set/) for the whole run, read by a thread into `results`, a list of
(topic, payload) in arrival order guarded by `cond`. `command()` publishes
one command and waits for the next answer on its result topic; `burst()`
publishes several at once and then waits for each; `sent` counts the
commands per result topic, so that a test can check at its end that each
got exactly one answer (`answer_counts()`). `Tally` counts the checks.
Python standard library only.
"""
import json
import subprocess
import sys
import threading


class Tally:
    """Passed and failed checks; a failed one is printed on stderr."""

    def __init__(self):
        self.passed = self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: " + what, file=sys.stderr)

    def finish(self):
        """Print "N passed, N failed"; the exit status (0 only when all of at least one passed)."""
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 0 if self.failed == 0 and self.passed > 0 else 1


class Results:
    def __init__(self, bport, prefix):
        self.bport, self.prefix = bport, prefix
        self.results = []
        self.cond = threading.Condition()
        self.sent = {}
        self.sub = subprocess.Popen(
            ["mosquitto_sub", "-h", "127.0.0.1", "-p", bport, "-v"] +
            sum((["-t", prefix + "/set" + "/+" * n + "/result"] for n in range(1, 5)), []),
            stdout=subprocess.PIPE, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.sub.stdout:
            topic, _, payload = line.rstrip("\n").partition(" ")
            with self.cond:
                self.results.append((topic, payload))
                self.cond.notify_all()

    def _count(self, t):
        return sum(1 for r in self.results if r[0] == t)

    def _publish(self, topic, payload):
        t = self.prefix + "/set/" + topic + "/result"
        self.sent[t] = self.sent.get(t, 0) + 1
        subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", self.bport, "-t",
                        self.prefix + "/set/" + topic, "-m", payload], check=True)
        return t

    def _answer(self, t, before, timeout):
        with self.cond:
            if not self.cond.wait_for(lambda: self._count(t) > before, timeout=timeout):
                return None
            mine = [r[1] for r in self.results if r[0] == t]
        try:
            return json.loads(mine[before])
        except ValueError:
            return {"ok": None, "error": "not JSON: " + mine[before]}

    def wait_subscribed(self):
        """Publish probes on a result topic until the subscriber sees one."""
        t = self.prefix + "/set/probe/result"
        for _ in range(50):
            subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", self.bport, "-t", t, "-m", "probe"],
                           check=True)
            with self.cond:
                if self.cond.wait_for(lambda: self._count(t) > 0, timeout=0.2):
                    return True
        return False

    def command(self, topic, payload, timeout=10.0):
        """Publish payload on PREFIX/set/topic; its answer as a dict (None if none came)."""
        t = self.prefix + "/set/" + topic + "/result"
        with self.cond:
            before = self._count(t)
        self._publish(topic, payload)
        return self._answer(t, before, timeout)

    def burst(self, cmds, timeout=15.0):
        """Publish every (topic, payload) at once, then wait for each one's answer."""
        ts = [self.prefix + "/set/" + t + "/result" for t, _ in cmds]
        with self.cond:
            before = [self._count(t) for t in ts]
        for topic, payload in cmds:
            self._publish(topic, payload)
        return [self._answer(t, n, timeout) for t, n in zip(ts, before)]

    def answer_counts(self):
        """{result topic: answers so far}."""
        with self.cond:
            counts = {}
            for t, _ in self.results:
                counts[t] = counts.get(t, 0) + 1
        return counts

    def close(self):
        self.sub.terminate()
