# import_xls_merged_lost.sh — .xls merged cells that imp_xls.c cannot reach are never
# lost in silence (issue 14). libfreexl reads the cells but not the merged areas, which
# imp_xls.c reads from the file itself; where it cannot follow the file to them, the
# cells an area covers are read empty — a 失踪人数 merged over two rows would become 2
# and 0 (the column's default) — so the import says so in a warning naming the file.
# A small workbook whose Workbook stream lives in the compound file's mini stream (Excel
# may store one under 4096 bytes so; xlwt pads its stream to 4096) is followed now.
# The workbooks are written here: by python3-xlwt, then re-packed (the mini stream) or
# patched (a MERGEDCELLS record shorter than its count, an area ending before it starts)
# by the generator below; a copy grown past 256 MB (sparse) stands for a file too big.
# Records it must follow across (issue 14): an embedded chart, a substream (BOF type
# 0x0020 .. its own EOF) inside the sheet's, before its MERGEDCELLS records — the sheet
# ends at its own EOF, not the chart's; merges split over two MERGEDCELLS records or
# continued in CONTINUE records. Those workbooks grow, so the generator lays the new
# stream out in a compound file of its own (cfb). libfreexl (1.0.6) refuses a sheet
# holding an embedded chart: the import says which sheet and what to do
# (tests/unit/test_xls_merges.c reads the merges of such streams). Other sheets in the
# BOUNDSHEET list (chart sheets, hidden macro sheets) before or after the data sheet.
. "$(dirname "$0")/../lib.sh"
python_or_skip 'xlwt' ".xls merged cells lost"
units_db base.db
cat > make.py <<'PY'
import datetime, struct, xlwt

def book(path, merged_unit):
    """Four accidents; 失踪人数 merged over each pair of rows (2, then 1); with
    merged_unit the unit too (城关镇, 青山镇), else written in every row."""
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("事故")
    d = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for c, h in enumerate(["事故编号", "发生时间", "属地", "行业领域", "死亡人数", "失踪人数"]):
        ws.write(0, c, h)
    for g, (unit, missing) in enumerate([("城关镇", 2), ("青山镇", 1)]):
        r = 1 + 2 * g
        ws.write_merge(r, r + 1, 5, 5, missing)
        if merged_unit:
            ws.write_merge(r, r + 1, 2, 2, unit)
        for k in range(2):
            ws.write(r + k, 0, "%s-%d" % (path.split(".")[0], r + k))
            ws.write(r + k, 1, datetime.datetime(2020, 5, r + k), d)
            if not merged_unit:
                ws.write(r + k, 2, unit)
            ws.write(r + k, 3, "road")
            ws.write(r + k, 4, 0)
    wb.save(path)

END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF

def workbook_stream(b):
    """(the Workbook stream's file offsets, byte by byte, and its BIFF records without
    xlwt's padding) of compound file b."""
    fat = []
    for s in struct.unpack_from("<109I", b, 0x4C)[:struct.unpack_from("<I", b, 0x2C)[0]]:
        fat += struct.unpack_from("<128I", b, (s + 1) * 512)
    def chain(s):
        while s < 0xFFFFFFFA:
            yield s
            s = fat[s]
    d = b"".join(b[(s + 1) * 512:(s + 2) * 512] for s in chain(struct.unpack_from("<I", b, 0x30)[0]))
    for e in range(0, len(d), 128):
        if d[e:e + 16] == "Workbook".encode("utf-16-le"):
            start, size = struct.unpack_from("<II", d, e + 0x74)
            where = [(s + 1) * 512 + k for s in chain(start) for k in range(512)][:size]
            wb = bytes(b[o] for o in where)
            pos = 0                      # xlwt pads the stream to 4096 bytes: cut the padding
            while pos + 4 <= len(wb) and wb[pos:pos + 4] != b"\0\0\0\0":
                pos += 4 + struct.unpack_from("<H", wb, pos + 2)[0]
            return where, wb[:pos]
    raise SystemExit("no Workbook stream")

def entry(name, typ, start, size, child=NOSTREAM):
    n = name.encode("utf-16-le") + b"\0\0" if name else b""
    e = n.ljust(64, b"\0") + struct.pack("<HBBIII", len(n), typ, 1, NOSTREAM, NOSTREAM, child)
    return (e + b"\0" * 36 + struct.pack("<II", start, size)).ljust(128, b"\0")

def mini(src, path):
    """src's Workbook stream in the mini stream of a new compound file: sector 0 the
    FAT, 1 the directory, 2 the mini FAT, 3.. the mini stream (the root entry's)."""
    wb = workbook_stream(open(src, "rb").read())[1]
    assert len(wb) < 4096
    nmini = (len(wb) + 63) // 64
    box = wb.ljust(nmini * 64, b"\0")
    nsec = (len(box) + 511) // 512
    fat = [FATSECT, END, END] + [4 + k for k in range(nsec - 1)] + [END]
    minifat = [k + 1 for k in range(nmini - 1)] + [END]
    h = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
    h += b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 2, 1, END, 0)
    h += struct.pack("<109I", 0, *([FREE] * 108))
    sec = lambda ints: struct.pack("<128I", *(ints + [FREE] * (128 - len(ints))))
    dirs = entry("Root Entry", 5, 3, len(box), child=1) + entry("Workbook", 2, 0, len(wb)) + entry("", 0, 0, 0) * 2
    open(path, "wb").write(h + sec(fat) + dirs + sec(minifat) + box.ljust(nsec * 512, b"\0"))

def patch(src, path, fix):
    """src with its MERGEDCELLS record's bytes changed by fix(record) in place."""
    b = bytearray(open(src, "rb").read())
    where, wb = workbook_stream(b)
    pos = 0
    while pos + 4 <= len(wb):
        t, l = struct.unpack_from("<HH", wb, pos)
        if t == 0xE5:
            rec = bytearray(wb[pos + 4:pos + 4 + l])
            fix(rec)
            for k, v in enumerate(rec):
                b[where[pos + 4 + k]] = v
            open(path, "wb").write(b)
            return
        pos += 4 + l
    raise SystemExit("no MERGEDCELLS record")

def records(wb):
    out, pos = [], 0
    while pos + 4 <= len(wb):
        t, l = struct.unpack_from("<HH", wb, pos)
        out.append((t, bytes(wb[pos + 4:pos + 4 + l])))
        pos += 4 + l
    return out

def serial(recs):
    """records as a stream, each BOUNDSHEET pointing at its sheet's BOF (the BOFs at the
    top level after the globals', in order)"""
    pos, depth, bofs = 0, 0, []
    for t, d in recs:
        if t == 0x0809:
            if depth == 0:
                bofs.append(pos)
            depth += 1
        elif t == 0x000A:
            depth -= 1
        pos += 4 + len(d)
    out, k = b"", 1
    for t, d in recs:
        if t == 0x0085:
            d = struct.pack("<I", bofs[k]) + d[4:]
            k += 1
        out += struct.pack("<HH", t, len(d)) + d
    return out

def cfb(wb, path, backwards=False):
    """a compound file holding the Workbook stream wb in regular sectors (padded past
    the 4096-byte cutoff): sectors 0..nf-1 the FAT, nf the directory, then the stream;
    backwards: its sectors in the file in reverse order (the chain runs from the last)"""
    size = max(4608, (len(wb) + 511) // 512 * 512)
    ns = size // 512
    nf = 1
    while nf * 128 < nf + 1 + ns:
        nf += 1
    fat = [FATSECT] * nf + [END] + [nf + 2 + k for k in range(ns - 1)] + [END]
    start = nf + 1
    if backwards:
        fat[nf + 1:] = [END] + [nf + 1 + k for k in range(ns - 1)]
        start = nf + ns
        pieces = [wb.ljust(size, b"\0")[k * 512:(k + 1) * 512] for k in range(ns)]
        wb = b"".join(reversed(pieces))
    fat += [FREE] * (nf * 128 - len(fat))
    h = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
    h += b"\0" * 6 + struct.pack("<IIIIIIIII", 0, nf, nf, 0, 4096, END, 0, END, 0)
    h += struct.pack("<109I", *(list(range(nf)) + [FREE] * (109 - nf)))
    dirs = entry("Root Entry", 5, END, 0, child=1) + entry("Workbook", 2, start, size) + entry("", 0, 0, 0) * 2
    open(path, "wb").write(h + struct.pack("<%dI" % len(fat), *fat) + dirs + wb.ljust(size, b"\0"))

def chart(close=True):
    """an embedded chart: its OBJ record, then its substream (BOF type 0x0020 .. EOF)"""
    obj = struct.pack("<HHHHH", 0x15, 0x12, 5, 1, 0x6011) + b"\0" * 16
    bof = struct.pack("<HHHHII", 0x0600, 0x0020, 0x0DBB, 0x07CC, 0, 0x0600)
    return [(0x005D, obj), (0x0809, bof), (0x1002, b"\0" * 16), (0x1033, b""), (0x1034, b"")] + \
        ([(0x000A, b"")] if close else [])

def rebuild(src, path, fix, backwards=False):
    """src's records changed by fix(records, index of the MERGEDCELLS record), repacked"""
    recs = records(workbook_stream(open(src, "rb").read())[1])
    fix(recs, next(k for k, (t, d) in enumerate(recs) if t == 0xE5))
    cfb(serial(recs), path, backwards)

book("rm.xls", True)                    # unit and 失踪人数 merged
book("ro.xls", False)                   # 失踪人数 merged only
mini("rm.xls", "mm.xls")                # the same cells, its Workbook stream in the mini stream
mini("ro.xls", "mo.xls")
def more(rec):                          # the count says one area more than the record holds
    struct.pack_into("<H", rec, 0, struct.unpack_from("<H", rec, 0)[0] + 1)
patch("ro.xls", "count.xls", more)
def backwards(rec):                     # the record's first area: last row 0, before its first
    struct.pack_into("<H", rec, 2 + 2, 0)
patch("ro.xls", "back.xls", backwards)
rebuild("rm.xls", "repack.xls", lambda r, m: None)                     # the control of the repacking
rebuild("rm.xls", "chart.xls", lambda r, m: r.__setitem__(slice(m, m), chart()))
rebuild("rm.xls", "chartend.xls", lambda r, m: r.__setitem__(slice(-1, -1), chart()))
rebuild("ro.xls", "chartopen.xls", lambda r, m: r.__setitem__(slice(m, m), chart(False)))
def mid(r, m):                          # the chart between the cell records of rows 3 and 4
    s = next(k for k, (t, d) in enumerate(r) if t == 0x0809 and k > 0)
    c = [k for k, (t, d) in enumerate(r) if k > s and t in (0xFD, 0x27E, 0x203, 0xBD, 0x201)]
    at = next(k for k in c if struct.unpack_from("<H", r[k][1], 0)[0] == 3)
    r[at:at] = chart() + chart()        # two charts, one after the other
rebuild("rm.xls", "chartmid.xls", mid)
rebuild("rm.xls", "chartback.xls", mid, backwards=True)   # the stream's sectors in reverse order
def nest(r, m):                         # a chart holding a chart (substreams two deep)
    inner = chart()
    r[m:m] = inner[:-1] + inner + inner[-1:]
rebuild("rm.xls", "chartnest.xls", nest)
mini("chart.xls", "chartmini.xls")      # a chart in a workbook in the mini stream
def second(r, m):                       # a second sheet, a copy of the first, holding the chart
    g = next(k for k, (t, d) in enumerate(r) if t == 0x85)
    s = next(k for k, (t, d) in enumerate(r) if t == 0x0809 and k > 0)
    r[:] = r[:g + 1] + [r[g]] + r[g + 1:s] + r[s:] + r[s:m] + chart() + r[m:]
rebuild("rm.xls", "chart2.xls", second)
BOF = lambda dt: (0x0809, struct.pack("<HHHHII", 0x0600, dt, 0x0DBB, 0x07CC, 0, 0x0600))
def sheets(before, after):
    """other sheets beside the data sheet, each (BOUNDSHEET type, hidden state, name, its
    substream's records without BOF/EOF): a chart sheet (type 2, BOF 0x0020), a macro
    sheet (type 1, BOF 0x0040)"""
    def add(r, m):
        g = next(k for k, (t, d) in enumerate(r) if t == 0x85)
        s = next(k for k, (t, d) in enumerate(r) if t == 0x0809 and k > 0)
        bs = lambda dt, hs, name: (0x85, struct.pack("<IBBBB", 0, hs, dt, len(name), 0) + name.encode())
        sub = lambda dt, body: [BOF({1: 0x40, 2: 0x20}[dt])] + body + [(0x000A, b"")]
        r[:] = r[:g] + [bs(*o[:3]) for o in before] + [r[g]] + [bs(*o[:3]) for o in after] + r[g + 1:s] + \
            [x for o in before for x in sub(o[0], o[3])] + r[s:] + [x for o in after for x in sub(o[0], o[3])]
    return add
CHARTSHEET = (2, 0, "Chart1", [(0x1002, b"\0" * 16)])
MACROS = (1, 2, "Macro1", [])              # very hidden, no DIMENSION record
DIM0 = (0x0200, b"\0" * 14)               # a DIMENSION record: no rows, no columns
rebuild("rm.xls", "sheets_after.xls", sheets([], [CHARTSHEET, MACROS]))
rebuild("rm.xls", "sheets_dim.xls", sheets([(2, 0, "Chart1", [DIM0, (0x1002, b"\0" * 16)]), (1, 1, "Macro1", [DIM0])], []))
rebuild("rm.xls", "sheets_before.xls", sheets([CHARTSHEET], []))
def split(r, m):                        # the four areas in two MERGEDCELLS records
    d = r[m][1]
    assert struct.unpack_from("<H", d)[0] == 4
    r[m:m + 1] = [(0xE5, struct.pack("<H", 2) + d[2:18]), (0xE5, struct.pack("<H", 2) + d[18:34])]
rebuild("rm.xls", "split.xls", split)
def cont(r, m):                         # the first area in the record, the rest in CONTINUE records
    d = r[m][1]
    r[m:m + 1] = [(0xE5, d[:10]), (0x3C, d[10:22]), (0x3C, d[22:34])]
rebuild("rm.xls", "cont.xls", cont)

def crosslink(src, path, fix):
    """src (a compound file of cfb or mini above) with its sector table and mini sector
    table changed by fix(fat, minifat, start): start the Workbook stream's first sector"""
    b = bytearray(open(src, "rb").read())
    nf = struct.unpack_from("<I", b, 0x2C)[0]
    fsec = struct.unpack_from("<%dI" % nf, b, 0x4C)
    fat = [x for s in fsec for x in struct.unpack_from("<128I", b, (s + 1) * 512)]
    dsec = struct.unpack_from("<I", b, 0x30)[0]
    msec = struct.unpack_from("<I", b, 0x3C)[0]
    minifat = list(struct.unpack_from("<128I", b, (msec + 1) * 512)) if msec < 0xFFFFFFFA else []
    d = (dsec + 1) * 512
    e = next(d + k for k in range(0, 512, 128) if b[d + k:d + k + 16] == "Workbook".encode("utf-16-le"))
    fix(fat, minifat, struct.unpack_from("<I", b, e + 0x74)[0])
    for k, s in enumerate(fsec):
        struct.pack_into("<128I", b, (s + 1) * 512, *fat[k * 128:(k + 1) * 128])
    if minifat:
        struct.pack_into("<128I", b, (msec + 1) * 512, *minifat)
    open(path, "wb").write(b)

def chain(t, s):
    out = []
    while s < 0xFFFFFFFA and len(out) < 1000:
        out.append(s)
        s = t[s]
    return out
def loop(f, m, s):                      # the stream's 4th sector leads back to its 2nd
    c = chain(f, s); f[c[3]] = c[1]
def through_fat(f, m, s):               # ... to the sector table's own first sector
    c = chain(f, s); f[c[3]] = 0
def through_dir(f, m, s):               # ... to the directory's sector, and on to the rest
    c = chain(f, s); nf = f.index(END); f[c[3]] = nf; f[nf] = c[4]
def mini_loop(f, m, s):                 # the mini stream: the 4th mini sector leads back to the 2nd
    c = chain(m, s); m[c[3]] = c[1]
def mini_box(f, m, s):                  # the mini stream's box runs through the mini sector table
    f[4] = 2; f[2] = 5
crosslink("chart.xls", "xloop.xls", loop)
crosslink("rm.xls", "xloop_nochart.xls", lambda f, m, s: loop(f, m, s))
crosslink("chart.xls", "xfat.xls", through_fat)
crosslink("chart.xls", "xdir.xls", through_dir)
crosslink("chartmini.xls", "xmini.xls", mini_loop)
crosslink("chartmini.xls", "xbox.xls", mini_box)

def layout(wb, path, ss=512, ndir=1, nfat_extra=0, interleave=False, share=0):
    """a compound file holding the Workbook stream wb in regular sectors, laid out as
    valid files may be: ss-byte sectors (512: version 3; 4096: version 4), a directory
    of ndir sectors (the root and Workbook entries in its first, unused entries after),
    nfat_extra sector-table sectors more than needed (past 109 in all: the rest listed
    in DIFAT sectors), interleave: the directory's and the stream's sectors alternate.
    share (damage): the stream's last share sectors are the directory's last ones."""
    DIFSECT, per = 0xFFFFFFFC, ss // 4
    size = max(4608, len(wb))
    ns = (size + ss - 1) // ss
    nf = 1
    while True:
        nfat = nf + nfat_extra
        ndif = 0 if nfat <= 109 else (nfat - 109 + per - 2) // (per - 1)
        total = nfat + ndif + ndir + ns - share
        if nf * per >= total:
            break
        nf += 1
    fat = [FREE] * (nfat * per)
    fsecs, difs = list(range(nfat)), list(range(nfat, nfat + ndif))
    for x in fsecs: fat[x] = FATSECT
    for x in difs: fat[x] = DIFSECT
    rest = list(range(nfat + ndif, total))
    dirs, own = rest[:ndir], rest[ndir:]
    if interleave:
        dirs, own = [], []
        for x in rest:
            (dirs if (len(dirs) <= len(own) and len(dirs) < ndir) or len(own) == ns - share else own).append(x)
    for c in (dirs, own):
        for a, b in zip(c, c[1:]): fat[a] = b
        fat[c[-1]] = END
    strm = own
    if share:
        strm = own + dirs[ndir - share:]
        fat[own[-1]] = dirs[ndir - share]
    h = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3 if ss == 512 else 4, 0xFFFE,
                                                                   9 if ss == 512 else 12, 6)
    h += b"\0" * 6 + struct.pack("<IIIIIIIII", ndir if ss == 4096 else 0, nfat, dirs[0], 0, 4096, END, 0,
                                 difs[0] if ndif else END, ndif)
    h += struct.pack("<109I", *(fsecs[:109] + [FREE] * (109 - min(109, nfat))))
    out = {}
    for k, x in enumerate(fsecs):
        out[x] = struct.pack("<%dI" % per, *fat[k * per:(k + 1) * per])
    for k, x in enumerate(difs):
        part = fsecs[109 + k * (per - 1):109 + (k + 1) * (per - 1)]
        out[x] = struct.pack("<%dI" % per, *(part + [FREE] * (per - 1 - len(part)) + [difs[k + 1] if k + 1 < ndif else END]))
    d = (entry("Root Entry", 5, END, 0, child=1) + entry("Workbook", 2, strm[0], size)).ljust(ndir * ss, b"\0")
    for k, x in enumerate(dirs): out[x] = d[k * ss:(k + 1) * ss]
    body = wb.ljust(ns * ss, b"\0")
    for k, x in enumerate(strm): out[x] = body[k * ss:(k + 1) * ss]
    open(path, "wb").write(h.ljust(ss, b"\0") + b"".join(out[x] for x in range(total)))
rm = serial(records(workbook_stream(open("rm.xls", "rb").read())[1]))
layout(rm, "lay_v4.xls", ss=4096)                          # 4096-byte sectors
layout(rm, "lay_difat.xls", nfat_extra=130)                # 131 FAT sectors: 22 in a DIFAT sector
layout(rm, "lay_difat4.xls", nfat_extra=400)               # 401: in four
layout(rm, "lay_v4difat.xls", ss=4096, nfat_extra=1100)    # 4096-byte sectors and a DIFAT sector
layout(rm, "lay_dir70.xls", ndir=70)                       # a directory of 70 sectors (280 entries)
layout(rm, "lay_dir70i.xls", ndir=70, interleave=True)     # ... its sectors between the stream's
layout(rm, "lay_v4diri.xls", ss=4096, ndir=3, interleave=True)
layout(rm, "xdir64.xls", ndir=64, share=1)                 # damaged: the stream ends in the directory's 64th sector
layout(rm, "xdir66.xls", ndir=66, share=1)                 # ... in its 66th (past the entries looked at)
layout(rm, "xdir70.xls", ndir=70, share=5)                 # ... in its last five of 70
PY
"$PY" make.py || { not_ok "make.py ran"; exit 0; }

q() { sqlite3 t.db "$1"; }
# imp NAME FILE: imports FILE into a fresh copy of base.db (t.db); out.txt, err.txt.
imp() { cp base.db t.db; expect_status "$1" "$2: imported" "$YINGJI" --db t.db import accidents "$2"; }
# the rows imported, in order: "unit/missing ..." (ids rm-N or ro-N: the workbook copied)
rows() { q "SELECT group_concat(u.name || '/' || a.missing, ' ') FROM (SELECT * FROM accidents ORDER BY id) a JOIN units u ON u.id = a.unit_id"; }
WANT="城关镇/2 城关镇/2 青山镇/1 青山镇/1"

# --- the control: regular sectors, every area read -------------------------------------
imp 0 rm.xls
check "regular sectors: units and 失踪人数 filled from their merged areas" test "$(rows)" = "$WANT"
check "regular sectors: no warning" test ! -s err.txt

# --- the Workbook stream in the mini stream: followed --------------------------------------
check "mm.xls is a mini-stream workbook (under 4096 bytes; the control is not)" \
    test "$(wc -c < mm.xls)" -lt "$(wc -c < rm.xls)"
imp 0 mm.xls
check "mini stream: units and 失踪人数 filled as from regular sectors" test "$(rows)" = "$WANT"
check "mini stream: no warning" test ! -s err.txt
imp 0 mo.xls
check "mini stream, 失踪人数 merged only: 2 2 1 1" test "$(rows)" = "$WANT"

# --- a file too large to be followed: the areas are lost, and the import says so -------
cp ro.xls big.xls
truncate -s 257M big.xls
imp 0 big.xls
contains err.txt "big.xls:事故: warning: merged cells not read (the file is larger than 256 MB)" \
    "over 256 MB: a warning naming the file and why"
contains err.txt "the cells an unread merged area covers were imported empty" "  saying what it means for the values"
contains err.txt "texts longer than 8,175 characters, which the .xls reader may misread, could not be checked" \
    "  and that its texts could not be checked for those libfreexl misreads"
contains out.txt "1 warning" "  counted in the summary"
check "over 256 MB: the covered rows got the column's default, as the warning says" \
    test "$(rows)" = "城关镇/2 城关镇/0 青山镇/1 青山镇/0"
# a unit merged down is a required value: those rows are rejected, with the warning too
cp rm.xls bigu.xls
truncate -s 257M bigu.xls
imp 2 bigu.xls
contains err.txt "bigu.xls:事故: warning: merged cells not read (the file is larger than 256 MB)" \
    "over 256 MB, unit merged: the warning beside the row errors"

# --- records it cannot read whole: the rest are read, and the import says so ------------
imp 0 count.xls
contains err.txt "count.xls:事故: warning: merged cells not read (a MERGEDCELLS record is shorter than its count of areas)" \
    "a MERGEDCELLS record shorter than its count: a warning"
check "a record it cannot read whole: the texts were checked (the stream was read), so no word of them" \
    sh -c '! grep -q "could not be checked" err.txt'
check "  the areas the record holds are still filled" \
    test "$(rows)" = "$WANT"
imp 0 back.xls
contains err.txt "back.xls:事故: warning: merged cells not read (a merged area ends before it starts)" \
    "an area ending before it starts: a warning"
# (which area comes first in the record is xlwt's choice: either may be the one dropped)
back=$(rows)
check "  the other area is still filled" \
    test "$back" = "城关镇/2 城关镇/0 青山镇/1 青山镇/1" -o "$back" = "城关镇/2 城关镇/2 青山镇/1 青山镇/0"

# --- records to follow across (issue 14) ------------------------------------------------
imp 0 repack.xls
check "re-packed by the generator (fresh sectors): every area read" test "$(rows)" = "$WANT"
check "  no warning" test ! -s err.txt
imp 0 split.xls
check "merges split over two MERGEDCELLS records: units and 失踪人数 filled" test "$(rows)" = "$WANT"
check "  no warning" test ! -s err.txt
imp 0 cont.xls
check "a MERGEDCELLS record continued in two CONTINUE records: units and 失踪人数 filled" test "$(rows)" = "$WANT"
check "  no warning" test ! -s err.txt
# an embedded chart: libfreexl (1.0.6) refuses a sheet holding one, so it reads a copy of
# the file in which the chart's records (its BOF to its own EOF) have a type no reader
# knows; the merges are read from the file itself (tests/unit/test_xls_merges.c). Before
# the merges, at the end, between the cells (two charts), a chart in a chart, the stream's
# sectors in reverse order (the patch follows the sector chain), the mini stream; in the
# second of two sheets (both match the header: --sheet chooses).
for f in chart.xls chartend.xls chartmid.xls chartback.xls chartnest.xls chartmini.xls chart2.xls; do
    cp base.db t.db
    opt=
    [ $f = chart2.xls ] && opt="--sheet 2"
    expect_status 0 "$f: imported" "$YINGJI" --db t.db import accidents $f $opt
    check "  $f: every row, units and 失踪人数 filled from their merged areas" test "$(rows)" = "$WANT"
    check "  $f: no warning" test ! -s err.txt
done
sha=$(sha256sum chartmid.xls | cut -d' ' -f1)
cp base.db t.db
"$YINGJI" --db t.db import accidents chartmid.xls >/dev/null 2>&1
check "the workbook itself is left as it was" test "$(sha256sum chartmid.xls | cut -d' ' -f1)" = "$sha"
check "  and the import log has the file's own SHA-256" test "$(q "SELECT sha256 FROM imports WHERE dataset = 'accidents'")" = "$sha"
# a chart whose EOF is missing (libfreexl reads the cells): the sheet's EOF closes the
# chart, the stream ends inside the sheet, its merges (after the chart's BOF) are not its
# own records: a warning, and the values it says
imp 0 chartopen.xls
contains err.txt "chartopen.xls:事故: warning: merged cells not read (the sheet's records end before its EOF record)" \
    "a chart without its EOF before the merges: a warning"
check "  the covered rows got the column's default, as the warning says" \
    test "$(rows)" = "城关镇/2 城关镇/0 青山镇/1 青山镇/0"

# --- other sheets in the BOUNDSHEET list: chart sheets, (hidden) macro sheets --------------
# libfreexl lists every BOUNDSHEET record as a sheet, as imp_xls.c counts them: the data
# sheet's merges are found after others. A chart sheet has no cells (libfreexl gives it
# none and an error on reading it): it reads as empty, so the sheet with the columns is
# found; a sheet without a DIMENSION record makes libfreexl lose the cells of the sheet
# read last (its array goes to that one): an error saying so, not an empty sheet.
imp 0 sheets_after.xls
check "the data sheet, then a chart sheet and a hidden macro sheet: units and 失踪人数 filled" \
    test "$(rows)" = "$WANT"
check "  no warning" test ! -s err.txt
imp 0 sheets_dim.xls
check "a chart sheet and a hidden macro sheet (with DIMENSION records) before the data sheet: filled" \
    test "$(rows)" = "$WANT"
check "  no warning" test ! -s err.txt
# (libfreexl itself leaks the array it replaces there: LeakSanitizer off for that import)
cp base.db t.db
expect_status 2 "sheets_before.xls: refused" env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    "$YINGJI" --db t.db import accidents sheets_before.xls
contains err.txt "the .xls reader (libfreexl) loses this sheet's cells when another sheet of the workbook has no dimensions record" \
    "a chart sheet (no DIMENSION) before the data sheet: libfreexl loses the data sheet's cells, and the error says so"
check "  nothing imported" test "$(q 'SELECT count(*) FROM accidents')" = 0
cp base.db t.db
expect_status 2 "--sheet Chart1: refused" "$YINGJI" --db t.db import accidents sheets_after.xls --sheet Chart1
contains err.txt "sheet 'Chart1': no row among the first 20 names a column of accidents" "  a chart sheet read as empty"

# --- compound files laid out as valid files may be: never refused ---------------------
# Every sector is claimed once (xls_cfb.c): the sector table, its DIFAT sectors, the
# directory, the stream. 4096-byte sectors (version 4), over 109 sector-table sectors
# (DIFAT), a directory of 70 sectors, its sectors between the stream's.
for f in lay_v4.xls lay_difat.xls lay_difat4.xls lay_v4difat.xls lay_dir70.xls lay_dir70i.xls lay_v4diri.xls; do
    imp 0 $f
    check "  $f: units and 失踪人数 filled from their merged areas" test "$(rows)" = "$WANT"
    check "  $f: no warning" test ! -s err.txt
done

# --- a damaged compound file: a sector claimed twice ------------------------------------
# A sector chain that comes back to one of its sectors or runs through another's (the
# sector table, the directory, the mini sector table) makes the same bytes two things:
# libfreexl would read them as they come, and the copy's patch of a chart's records
# (above) would change whatever else lies there. Refused, naming the damage and what to
# do; nothing stored. The control of each is imported above (chart.xls, rm.xls,
# chartmini.xls). (Before, xloop_nochart.xls and xdir.xls were imported without a word,
# the others refused with libfreexl's or the chart's error.)
# The directory is claimed whole, not only the 64 sectors whose entries are looked at
# (xdir66.xls, xdir70.xls were imported without a word).
for f in xloop.xls xloop_nochart.xls xfat.xls xdir.xls xmini.xls xbox.xls xdir64.xls xdir66.xls xdir70.xls; do
    cp base.db t.db
    expect_status 2 "$f: refused" "$YINGJI" --db t.db import accidents $f
    contains err.txt "the file is damaged (a sector of its compound file belongs to two of its streams or tables): open it in Excel or WPS, save it again and import that" \
        "  $f: the error says the file is damaged, and what to do"
    contains err.txt "$f" "  $f: and names it"
    check "  $f: nothing imported" test "$(q 'SELECT count(*) FROM accidents')" = 0
done
