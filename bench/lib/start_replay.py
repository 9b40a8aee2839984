#!/usr/bin/env python3
"""Creates and starts N containers, 8 at a time, straight on the engine's API, with a
container body and side load of one's choice; prints the time for all N and the
engine's median start call, then removes them.

  python3 bench/lib/start_replay.py ROUNDS N CREATE_BODY VARIANT...

CREATE_BODY is a container create request as engine_trace.py saved it (Berth's).
Each round runs every VARIANT once, in the order given:
  run      the body `docker run -d --init --network NET IMAGE sleep 86400` sends
  berth    Berth's body (its network, aliases and labels moved to this round's)
  berth+cpu     … beside a process busy 26 ms of every 100 (Berth's mean CPU in a converge)
  berth+calls   … with Berth's other engine calls of a converge: an inspect of each
                container while it starts and one after, a pin tag per container on
                one thread, an image inspect every third create, and the list of
                containers, networks and volumes every 0.7 s
  berth+events  … with an event stream open, filtered as Berth's is

A diagnostic for the cold-converge benchmark (docs/benchmarks.md). The image is
berth-test/busybox:latest (ENVIRONMENT.md); names start with rp-.
"""
import copy, http.client, json, random, select, socket, statistics, subprocess, sys, threading, time
import urllib.parse

IMAGE = 'berth-test/busybox:latest'


class Engine(http.client.HTTPConnection):
    def __init__(self):
        super().__init__('docker')

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect('/var/run/docker.sock')

    def call(self, method, path, body=None):
        self.request(method, path, json.dumps(body) if body is not None else None,
                     {'Content-Type': 'application/json'})
        r = self.getresponse()
        data = r.read()
        if r.status >= 300:
            raise RuntimeError(f"{method} {path}: {r.status} {data[:200]!r}")
        return json.loads(data) if data else None


def body(variant, berth, net):
    if variant == 'run':
        return {'Image': IMAGE, 'Cmd': ['sleep', '86400'], 'HostConfig': {'NetworkMode': net, 'Init': True}}
    b = copy.deepcopy(berth)
    b['HostConfig']['NetworkMode'] = net
    endpoints = b['NetworkingConfig']['EndpointsConfig']
    b['NetworkingConfig']['EndpointsConfig'] = {net: endpoints.popitem()[1]}
    b['Labels']['dev.berth.project'] = net
    return b


def one_round(variant, n, berth):
    base, side = variant.split('+')[0], variant.partition('+')[2]
    net = f"rp-{variant.replace('+', '-')}-{random.randint(0, 99999)}"
    Engine().call('POST', '/networks/create', {'Name': net, 'CheckDuplicate': True})
    lock, todo, starts, tags, done, threads = threading.Lock(), list(range(n)), [], [], [False], []

    def worker():
        engine = Engine()
        while True:
            with lock:
                if not todo:
                    return
                i = todo.pop()
            cid = engine.call('POST', f'/containers/create?name={net}_s{i}', body(base, berth, net))['Id']
            if side == 'calls':
                threading.Thread(target=lambda: Engine().call('GET', f'/containers/{cid}/json')).start()
                tags.append(i)
                if i % 3 == 0:
                    engine.call('GET', f'/images/{urllib.parse.quote(IMAGE, safe="")}/json')
            t = time.time()
            engine.call('POST', f'/containers/{cid}/start')
            with lock:
                starts.append(time.time() - t)
            if side == 'calls':
                engine.call('GET', f'/containers/{cid}/json')

    def tagger():
        engine = Engine()
        while not done[0] or tags:
            if tags:
                i = tags.pop(0)
                engine.call('POST', f'/images/{urllib.parse.quote(IMAGE, safe="")}/tag?repo=berth-pin/{net}/s{i}&tag=r1')
            else:
                time.sleep(0.01)

    def lister():
        engine = Engine()
        while not done[0]:
            for path in ('/containers/json?all=1', '/networks', '/volumes'):
                engine.call('GET', path)
            time.sleep(0.7)

    def events():
        s = socket.socket(socket.AF_UNIX)
        s.connect('/var/run/docker.sock')
        f = urllib.parse.quote(json.dumps({'label': [f'dev.berth.project={net}'], 'type': ['container']}))
        s.sendall(f"GET /events?since={time.time():.9f}&filters={f} HTTP/1.1\r\nHost: docker\r\n\r\n".encode())
        while not done[0]:
            if select.select([s], [], [], 0.5)[0] and not s.recv(65536):
                break
        s.close()

    burner = None
    if side == 'cpu':
        burner = subprocess.Popen([sys.executable, '-c', 'import time\nwhile True:\n t = time.time()\n'
                                   ' while time.time() - t < 0.026: pass\n time.sleep(0.074)'])
    for target in {'calls': [tagger, lister], 'events': [events]}.get(side, []):
        threads.append(threading.Thread(target=target))
        threads[-1].start()
    t0 = time.time()
    workers = [threading.Thread(target=worker) for _ in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    took = time.time() - t0
    done[0] = True
    for t in threads:
        t.join()
    if burner:
        burner.kill()
    print(f"{variant:13s} all {n} in {took:5.1f} s, start call median {statistics.median(starts) * 1000:.0f} ms",
          flush=True)
    subprocess.run(f"docker rm -f $(docker ps -aq --filter name={net}_) >/dev/null;"
                   f" docker images --format '{{{{.Repository}}}}:{{{{.Tag}}}}' | grep '^berth-pin/{net}/'"
                   f" | xargs -r docker rmi >/dev/null; docker network rm {net} >/dev/null; sync; sleep 10",
                   shell=True)


if __name__ == '__main__':
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    raw = open(sys.argv[3], 'rb').read()
    captured = json.loads(raw[raw.index(b'\r\n\r\n') + 4:])
    for _ in range(int(sys.argv[1])):
        for v in sys.argv[4:]:
            one_round(v, int(sys.argv[2]), captured)
