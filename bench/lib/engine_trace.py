#!/usr/bin/env python3
"""Which engine calls a client makes, and how long the engine takes to answer each.

  python3 bench/lib/engine_trace.py serve SOCKET LOG [CREATE_BODY]
      listens on the unix socket SOCKET and forwards every connection to
      /var/run/docker.sock; writes one line per request head and per response
      head (time, connection, direction, request line or status) to LOG, and
      the first container create request, head and body, to CREATE_BODY.
      Point a client at it with DOCKER_HOST=unix://SOCKET.
  python3 bench/lib/engine_trace.py report LOG
      pairs requests with responses per connection and prints the calls by
      kind, how long the engine took for creates and starts, and the time
      between a create's answer and the same container's start request.

A diagnostic for the cold-converge benchmark (docs/benchmarks.md); the proxy
adds the same small delay to every client it serves, so compare clients
traced the same way.
"""
import asyncio, collections, os, re, statistics, sys, time

REQUEST = re.compile(rb'(?:^|\r\n)((?:GET|POST|PUT|DELETE|HEAD) [^ ]+ HTTP/1\.1|HTTP/1\.1 \d{3})')


def serve(listen, log_path, body_path=None):
    log = open(log_path, 'w', buffering=1)
    count = [0]

    async def pump(reader, writer, conn, direction):
        try:
            while data := await reader.read(65536):
                t = time.time()
                for m in REQUEST.finditer(data):
                    line, extra = m.group(1).decode('latin1'), ''
                    created = re.search(rb'"Id":"([0-9a-f]{64})"', data) if line.endswith('201') else None
                    if created:
                        extra = ' id=' + created.group(1).decode()
                    log.write(f"{t:.6f} {conn} {direction} {line}{extra}\n")
                if body_path and direction == '>' and re.search(rb'POST /(v[\d.]+/)?containers/create', data) \
                        and not os.path.exists(body_path):
                    open(body_path, 'wb').write(data)
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def handle(client_reader, client_writer):
        count[0] += 1
        engine_reader, engine_writer = await asyncio.open_unix_connection('/var/run/docker.sock')
        await asyncio.gather(pump(client_reader, engine_writer, count[0], '>'),
                             pump(engine_reader, client_writer, count[0], '<'))

    async def main():
        if os.path.exists(listen):
            os.unlink(listen)
        server = await asyncio.start_unix_server(handle, listen, limit=1 << 20)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def report(log_path):
    pending, pairs = collections.defaultdict(list), []
    for line in open(log_path):
        t, conn, direction, text = line.rstrip('\n').split(' ', 3)
        if direction == '>':
            pending[conn].append((float(t), text))
        elif pending[conn]:
            sent, request = pending[conn].pop(0)
            pairs.append((sent, float(t), request, text))
    path = lambda r: re.sub(r'^/v[\d.]+', '', r.split(' ')[1].split('?')[0])
    created, creates, starts, turnaround = {}, [], [], []
    for sent, answered, request, response in pairs:
        if path(request) == '/containers/create':
            creates.append(answered - sent)
            m = re.search(r'id=([0-9a-f]{64})', response)
            if m:
                created[m.group(1)] = answered
    for sent, answered, request, _ in pairs:
        m = re.fullmatch(r'/containers/([0-9a-f]{64})/start', path(request))
        if m:
            starts.append(answered - sent)
            if m.group(1) in created:
                turnaround.append(sent - created[m.group(1)])

    def ms(xs):
        return f"n={len(xs)} median {statistics.median(xs) * 1000:.0f} ms" if xs else "none"
    print("engine: create request → answer:", ms(creates))
    print("engine: start request → answer: ", ms(starts))
    print("client: create answered → start sent:", ms(turnaround))
    kinds = collections.Counter(
        request.split(' ')[0] + ' ' + re.sub(r'[0-9a-f]{64}|sha256:[0-9a-f]{64}', 'ID', path(request))
        for _, _, request, _ in pairs)
    for kind, n in kinds.most_common():
        print(f"{n:6d}  {kind}")


if __name__ == '__main__':
    if len(sys.argv) >= 4 and sys.argv[1] == 'serve':
        serve(*sys.argv[2:5])
    elif len(sys.argv) == 3 and sys.argv[1] == 'report':
        report(sys.argv[2])
    else:
        sys.exit(__doc__)
