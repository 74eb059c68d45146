# sandbox_forbidden.sh — every forbidden thing a script may try ends with exit 4, a clear
# message, and no side effect: the database dump is unchanged and no file appears.
. "$(dirname "$0")/../lib.sh"

"$YINGJI" init >/dev/null 2>&1
sqlite3 yingji.db "INSERT INTO imports(id, dataset, file, sha256, encoding, imported_at)
  VALUES (1, 'units', 'u.csv', '', 'utf-8', '2020-01-01');
  INSERT INTO units(code, name, kind, batch) VALUES ('T01', '甲镇', 'township', 1);"
dbdump yingji.db >before.sql
LIMITS="--max-instructions 5000000 --max-memory 32 --sql-timeout 300"

# The files here, without the test's own bookkeeping.
listing() { ls -a | grep -v -e '^yingji\.db-' -e '^files\.' -e '^out.txt$' -e '^err.txt$' -e '^after.sql$' | sort; }

# forbidden NAME MESSAGE LUA-SOURCE [LIMITS]: the script fails with exit 4 and MESSAGE on
# stderr, and changes nothing. LIMITS replaces the default $LIMITS options.
forbidden() {
    name=$1 msg=$2 limits=${4:-$LIMITS}
    printf '%s\n' "$3" >evil.lua
    listing >files.before
    # shellcheck disable=SC2086
    expect_status 4 "$name: exit 4" "$YINGJI" run $limits evil.lua
    contains err.txt "$msg" "$name: says '$msg'"
    contains err.txt "evil.lua" "$name: names the script"
    dbdump yingji.db >after.sql
    check "$name: database unchanged" cmp -s before.sql after.sql
    listing >files.after
    check "$name: no file created" cmp -s files.before files.after
}

forbidden "os.execute" "os.execute is not available" 'os.execute("touch pwned")'
forbidden "os.remove" "os.remove is not available" 'os.remove("yingji.db")'
forbidden "io.popen" "unknown global 'io'" 'io.popen("touch pwned")'
forbidden "io.open" "unknown global 'io'" 'io.open("pwned", "w"):write("x")'
forbidden "package.loadlib" "unknown global 'package'" 'package.loadlib("libc.so.6", "system")'
forbidden "require of a C module" "module not found" 'require "socket"'
forbidden "require outside the folders" "a module name has letters" 'require "../../etc/passwd"'
forbidden "dofile" "unknown global 'dofile'" 'dofile("/etc/passwd")'
forbidden "loadfile" "unknown global 'loadfile'" 'loadfile("/etc/passwd")'
forbidden "binary chunk" "attempt to load a binary chunk" 'assert(load("\27LuaT\0\25\147\r\n\26\n"))'
forbidden "binary chunk with mode b" "attempt to load a binary chunk" 'assert(load("\27LuaT", "x", "b"))'
forbidden "string.dump" "attempt to call a nil value" 'local f = string.dump(print)'
forbidden "debug" "debug.getinfo is not available" 'debug.getinfo(1)'
forbidden "debug.sethook" "debug.sethook is not available" 'debug.sethook()'
forbidden "collectgarbage tuning" "option 'stop' is not allowed" 'collectgarbage("stop")'
forbidden "unknown global" "unknown global 'undefined_thing'" 'print(undefined_thing)'
forbidden "global typo inside a function" "assignment to undeclared global 'totl'" \
    'local function f() totl = 1 end f()'
forbidden "SQL insert" "writing is not allowed" \
    'sql.query("INSERT INTO units(code, name, kind, batch) VALUES (?, ?, ?, 1)", "X", "X", "zone")'
forbidden "SQL update" "writing is not allowed" 'sql.query("UPDATE units SET name = ?", "x")'
forbidden "SQL delete" "writing is not allowed" 'sql.query("DELETE FROM units")'
forbidden "SQL drop" "scripts may only read" 'sql.query("DROP TABLE units")'
forbidden "SQL create temp" "not allowed" 'sql.query("CREATE TEMP TABLE t(x)")'
forbidden "SQL two statements" "one statement at a time" 'sql.query("SELECT 1; DELETE FROM units")'
forbidden "ATTACH" "ATTACH/DETACH is not allowed" 'sql.query("ATTACH DATABASE ? AS evil", "evil.db")'
forbidden "PRAGMA write" "PRAGMA user_version with a value is not allowed" 'sql.query("PRAGMA user_version = 99")'
forbidden "PRAGMA journal_mode" "PRAGMA journal_mode" 'sql.query("PRAGMA journal_mode = DELETE")'
forbidden "PRAGMA writable_schema" "PRAGMA writable_schema" 'sql.query("PRAGMA writable_schema = 1")'
forbidden "load_extension" "function load_extension() is not allowed" 'sql.query("SELECT load_extension(?)", "/tmp/x.so")'
forbidden "VACUUM INTO" "scripts may only read" 'sql.query("VACUUM INTO ?", "copy.db")'
forbidden "infinite loop" "script exceeded its instruction budget (5000000)" 'while true do end'
forbidden "pcall swallowing the budget" "script exceeded its instruction budget" \
    'while true do pcall(function() while true do end end) end'
forbidden "xpcall handler looping" "script exceeded its instruction budget" \
    'for i = 1, 1e9 do xpcall(function() while true do end end, function() while true do end end) end'
forbidden "infinite loop in SQL" "script exceeded its SQL time limit (300 ms)" \
    'sql.query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")'
forbidden "SQL loop inside pcall" "script exceeded its SQL time limit" \
    'for i = 1, 1e6 do pcall(sql.value, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c") end'
forbidden "memory bomb" "script exceeded its memory limit (32 MB)" \
    'local t = {} for i = 1, 1e9 do t[i] = string.rep("x", 100) .. i end'
forbidden "one huge string" "script exceeded its memory limit (32 MB)" 'local s = string.rep("x", 2^31 - 1)'
forbidden "memory bomb inside pcall" "script exceeded its memory limit" \
    'local ok = pcall(string.rep, "x", 1e9) local t = {} for i = 1, 10 do t[i] = i end'
forbidden "deep recursion" "stack overflow" 'local function f() return 1 + f() end f()' "--max-memory 256"
forbidden "looping __gc" "__gc metamethods are not allowed" \
    'setmetatable({}, {__gc = function() while true do end end}) collectgarbage()'
forbidden "publishing without end" "script exceeded its memory limit (32 MB)" \
    'local rows = {} for i = 1, 1000 do rows[i] = {a = string.rep("x", 1000)} end
     for i = 1, 1e6 do publish("t" .. i, {"a"}, rows) end'
forbidden "C code that never returns" "script exceeded its time limit (2 s)" \
    'print(string.find(string.rep("a", 5000), ".-.-.-b"))' "--timeout 2"
forbidden "memory bomb in SQL" "longer than the SQL length limit (33554432 bytes, 32 MB)" \
    'sql.value("SELECT length(randomblob(1000000000))")'
forbidden "SQLite memory: a huge group_concat" "longer than the SQL length limit (33554432 bytes, 32 MB)" \
    'sql.value([[WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100)
                SELECT length(group_concat(printf("%01000000d", x))) FROM c]])' \
    "--max-memory 32 --sql-timeout 60000"
forbidden "__gc hidden behind __index" "__gc metamethods are not allowed" \
    'local mt = setmetatable({}, {__index = function() return nil end})
     rawset(mt, "__gc", function() while true do end end)
     setmetatable({}, mt) collectgarbage()'
