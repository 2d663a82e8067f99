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

local data = dofile(os.getenv("BENCH_DATA"))
local counter = 0

function setup(thread)
	thread:set("id", counter)
	counter = counter + 1
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
end

function request()
	next_i = next_i % #reqs + 1
	return reqs[next_i]
end

function done(summary, latency, requests)
	io.write(string.format("ACKED %d\nOTHER %d\nP99_MS %.2f\n",
		summary.requests - summary.errors.status, summary.errors.status,
		latency:percentile(99) / 1000.0))
end
