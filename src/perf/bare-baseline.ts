/*
 * The bare baseline the suite bench compares the simulation with: the
 * fastest this design can move a message at all. Two generators ping-pong
 * messages through a driver loop that stands in for the kernel: the client
 * yields a request record with a read's shape ({ type, fd, buf, nbytes }),
 * the driver copies it as the kernel's deliver copies a message (spread into
 * a fresh record, then stamp `source`) and resumes the server with the copy;
 * the server yields its reply ({ type }), copied the same way back to the
 * client. Per message: one generator resume and one copy — no trap record,
 * scheduler, trace, libc or server, which is everything the suite adds.
 *
 * The records carry a `source` slot from the start (MINIX's message struct
 * has m_source too), because of a V8 quirk: at a copy site that has only
 * ever seen one shape, the spread clone gets a map that cannot take a new
 * property, so stamping a missing `source` turns every copy into a
 * dictionary-mode object, about 20 times slower. The kernel's copy site
 * sees ~80 shapes and does not suffer it; a baseline that did would flatter
 * the suite.
 *
 * The entry points into this file are:
 *   bareMessages(n)   exchange n messages; their count and a checksum of what the client received
 */

interface Request { type: number; fd: number; buf: number; nbytes: number; source: number }
interface Reply { type: number; source: number }

/** The kernel's copy (src/os/kernel/ipc.ts, deliver): a fresh record with the sender stamped. */
function copy<M extends { source: number }>(m: M, src: number): M {
  const c = { ...m };
  c.source = src;
  return c;
}

function* client(rounds: number): Generator<Request, number, Reply> {
  let sum = 0;
  for (let i = 0; i < rounds; i++) {
    const r = yield { type: 3, fd: 4, buf: 4096, nbytes: i & 1023, source: 0 };
    sum = (sum + r.type + r.source) | 0;
  }
  return sum;
}

function* server(): Generator<Reply, never, Request> {
  let m = yield { type: 0, source: 0 };
  while (true) m = yield { type: m.nbytes + m.fd, source: 0 };
}

const CLIENT = 7;
const SERVER = 1;

/** Exchange `n` messages (rounded up to whole request-reply pairs); the checksum keeps the work from being optimized away. */
export function bareMessages(n: number): { messages: number; checksum: number } {
  const c = client(Math.ceil(n / 2));
  const s = server();
  s.next();
  let messages = 0;
  let r = c.next();
  while (!r.done) {
    const reply = s.next(copy(r.value, CLIENT)).value;
    r = c.next(copy(reply, SERVER));
    messages += 2;
  }
  return { messages, checksum: r.value };
}
