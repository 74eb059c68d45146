# archive_rehash.py ARCHIVE — the forger's tool of the archive tests: recomputes every
# stored hash of a yingji archive (tables, results, manifest; formats 1 and 2, per
# docs/archive.md) after an edit, so only the re-run comparison or the signature can
# catch it. Not a test itself (tests/run.sh runs *.sh).
import hashlib, sqlite3, sys
def h(b): return hashlib.sha256(b).hexdigest()
def q(s):
    out = '"'
    for ch in s.encode():
        c = chr(ch)
        if c in '"\\': out += '\\' + c
        elif c == '\n': out += '\\n'
        elif ch < 0x20: out += '\\u%04x' % ch
        else: out += '\x00' + c
    return out + '"'
def qs(s):  # bytes kept as they are
    return q(s).replace('\x00', '')
db = sqlite3.connect(sys.argv[1])
db.text_factory = bytes
kv = {k.decode(): v for k, v in db.execute("SELECT key, value FROM yj_archive")}
for seq, js in db.execute("SELECT seq, json FROM yj_archive_tables").fetchall():
    db.execute("UPDATE yj_archive_tables SET sha256 = ? WHERE seq = ?", (h(js), seq))
kv['results_sha256'] = h(kv['results_json'].split(b'\0')[0]).encode()
db.execute("UPDATE yj_archive SET value = ? WHERE key = 'results_sha256'", (kv['results_sha256'].decode(),))
m = b''
for k, f in [('format', 'format'), ('engine', 'engine'), ('created_at', 'created_at'), ('script', 'script'),
             ('as_of', 'as_of'), ('data', 'data_sha256'), ('results', 'results_sha256')]:
    m += k.encode() + b' ' + kv[f] + b'\n'
if kv['format'] == b'yingji-archive 2':     # docs/archive.md: format 2's manifest lines
    m += b'known_on ' + kv['known_on'] + b'\nas_known ' + kv['as_known'] + b'\n'
for (p,) in db.execute("SELECT param FROM yj_archive_params ORDER BY seq"):
    m += b'param ' + qs(p.decode()).encode() + b'\n'
for n, p, s in db.execute("SELECT name, path, sha256 FROM yj_archive_files ORDER BY seq"):
    m += b'file ' + (qs(n.decode()).encode() if n is not None else b'null') + b' ' + qs(p.decode()).encode() + b' ' + s + b'\n'
for n, s in db.execute("SELECT name, sha256 FROM yj_archive_tables ORDER BY seq"):
    m += b'table ' + qs(n.decode()).encode() + b' ' + s + b'\n'
if kv['format'] == b'yingji-archive 2':
    for n, s in db.execute("SELECT name, sha256 FROM yj_archive_outputs ORDER BY seq"):
        m += b'output ' + qs(n.decode()).encode() + b' ' + s + b'\n'
db.execute("UPDATE yj_archive SET value = ? WHERE key = 'manifest_sha256'", (h(m),))
db.commit()
