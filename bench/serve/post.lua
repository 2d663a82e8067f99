-- post.lua - wrk script: every request is a real form submission for a
-- household of its own (codes and CSRF tokens from data.lua, made by
-- tokens.c).  Each wrk thread takes its own slice of the households, so
-- no code is sent twice while the slice lasts.
--
-- wrk shares the machine with the server, so the script must cost little
-- per request: the requests are formatted in init(), before the clock
-- starts, and there is no response() (with one, wrk hands every reply's
-- headers to Lua).  Before, building each request and reading each
-- reply in Lua cost wrk 24 us a request, three times what it spends on a
-- request for the static page, and that time was taken from the server.
-- Acknowledged submissions are therefore counted from wrk's summary:
-- every 2xx and 3xx counts, which can only overstate what the store must
-- hold.
--
-- A thread stops once every household of its slice has answered: a
-- household answering again is another kind of request (it costs the
-- writer two more statements).  wrk still reports its rate over the whole
-- duration, so done() prints RATE over the time the threads ran.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *ts);
]]
local ts = ffi.new("bench_timespec")

local function now()
	ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
	return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

local data = dofile(os.getenv("BENCH_DATA"))
local threads = {}
local counter = 0

function setup(thread)
	thread:set("id", counter)
	counter = counter + 1
	table.insert(threads, thread)
end

function init(args)
	local nthreads = tonumber(os.getenv("BENCH_THREADS"))
	local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

	reqs = {}
	for i = id + 1, #data, nthreads do
		local d = data[i]
		local body = "csrf=" .. d[2] ..
			"&lang=nl&q_speelveld=voor&q_verlichting=tegen&q_bezoek=soms" ..
			"&q_wensen=trapveld&q_wensen=bankjes&q_tevreden=4&q_kinderen=ja" ..
			"&q_aantal_kinderen=2&q_opmerking=bench"
		reqs[#reqs + 1] = wrk.format("POST", "/f/" .. d[1], headers, body)
	end
	next_i = 0
	first = 0 -- when the thread sent its first request
	last = 0  -- when it ran out of households
end

function request()
	if first == 0 then
		first = now()
	end
	if next_i == #reqs then
		-- The requests still in flight now may answer a few again.
		if last == 0 then
			last = now()
			wrk.thread:stop()
		end
		next_i = 0
	end
	next_i = next_i + 1
	return reqs[next_i]
end

function done(summary, latency, requests)
	local t0, t1 = math.huge, 0
	local secs = summary.duration / 1e6

	for _, t in ipairs(threads) do
		local f, l = t:get("first"), t:get("last")
		if f > 0 and f < t0 then t0 = f end
		if l == 0 then t1 = nil end
		if t1 and l > t1 then t1 = l end
	end
	if t1 and t1 > t0 then secs = t1 - t0 end
	io.write(string.format("ACKED %d\nOTHER %d\nP99_MS %.2f\nRATE %.2f\n",
		summary.requests - summary.errors.status, summary.errors.status,
		latency:percentile(99) / 1000.0, summary.requests / secs))
end
