-- post.lua - wrk script: every request is a real form submission for a
-- household of its own (codes and CSRF tokens from data.lua, made by
-- tokens.c).  Each wrk thread takes its own slice of the households, so
-- no code is sent twice while the slice lasts.  Counts 303s (committed).

local data = dofile(os.getenv("BENCH_DATA"))
local threads = {}
local counter = 0

function setup(thread)
	thread:set("id", counter)
	counter = counter + 1
	table.insert(threads, thread)
end

function init(args)
	nthreads = tonumber(os.getenv("BENCH_THREADS"))
	next_i = id + 1
	acked = 0
	other = 0
end

function request()
	local d = data[next_i]
	next_i = next_i + nthreads
	if next_i > #data then next_i = id + 1 end
	local body = "csrf=" .. d[2] ..
		"&lang=nl&q_speelveld=voor&q_verlichting=tegen&q_bezoek=soms" ..
		"&q_wensen=trapveld&q_wensen=bankjes&q_tevreden=4&q_kinderen=ja" ..
		"&q_aantal_kinderen=2&q_opmerking=bench"
	return wrk.format("POST", "/f/" .. d[1],
		{ ["Content-Type"] = "application/x-www-form-urlencoded" },
		body)
end

function response(status, headers, body)
	if status == 303 then acked = acked + 1 else other = other + 1 end
end

function done(summary, latency, requests)
	local a, o = 0, 0
	for _, t in ipairs(threads) do
		a = a + t:get("acked")
		o = o + t:get("other")
	end
	io.write(string.format("ACKED %d\nOTHER %d\nP99_MS %.2f\n", a, o,
		latency:percentile(99) / 1000.0))
end
