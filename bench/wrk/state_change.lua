-- State changes that each change something, on the 10,000-conversation demo.
--
--   wrk -t2 ... -s state_change.lua URL -- PLAN THREADS
--
-- PLAN lists every conversation, one a line: "id status newest_activity_id" (scripts/bench
-- writes it from the API). Each wrk thread owns a disjoint share of the conversations (every
-- THREADS-th line) and walks through it round and round, marking each conversation done, then
-- next time unread (Open and unread), then done again… so every request is a real write, never
-- a no-op. Done carries the conversation's newest activity as seen, so the safety rule accepts
-- it (nothing new arrives during the run). A thread's share is thousands of conversations and it
-- has only a few dozen requests in flight, so one conversation never has two at once.
--
-- Each answer is checked: 2xx, and the conversation it returns is in the state asked for.

local threads = {}
local count = 0

setup = function(thread)
    count = count + 1
    thread:set("index", count)
    table.insert(threads, thread)
end

-- The command line's headers (the session cookie) and the body's type.
local headers = {}
local mine = {}
local by_id = {}
local position = 0
-- wrk builds the first thread's first request once to check it, and never sends that one.
local unsent = false

confirmed = 0
unexpected = 0

init = function(args)
    for name, value in pairs(wrk.headers) do
        headers[name] = value
    end
    headers["Content-Type"] = "application/json"
    local plan = args[1] or error("state_change.lua needs the plan file: -- PLAN THREADS")
    local total = tonumber(args[2] or "1")
    local line_number = 0
    for line in io.lines(plan) do
        local id, status, seen = line:match("^(%d+) (%a+) (%d+)$")
        if id then
            if line_number % total == index - 1 then
                local conversation = { id = id, done = status == "done", seen = seen }
                table.insert(mine, conversation)
                by_id[id] = conversation
            end
            line_number = line_number + 1
        end
    end
    if #mine == 0 then
        error("no conversations for thread " .. index .. " in " .. plan)
    end
    unsent = index == 1
end

request = function()
    local conversation = mine[position % #mine + 1]
    local body
    if conversation.done then
        body = '{"change":"unread"}'
    else
        body = '{"change":"done","seen_activity_id":' .. conversation.seen .. "}"
    end
    if unsent then
        unsent = false
    else
        position = position + 1
        conversation.done = not conversation.done
    end
    return wrk.format("POST", "/api/v1/conversations/" .. conversation.id .. "/state", headers, body)
end

-- The answer is the conversation after the change: its id comes first, then its state.
response = function(status, headers, body)
    if status < 200 or status > 299 then
        return
    end
    local id = body:match('^{"id":(%d+)')
    local state = body:match('"status":"(%a+)"')
    local unread = body:match('"unread":(%a+)')
    local conversation = by_id[id or ""]
    if conversation and ((conversation.done and state == "done" and unread == "false")
        or (not conversation.done and state == "open" and unread == "true")) then
        confirmed = confirmed + 1
    else
        unexpected = unexpected + 1
    end
end

done = function(summary, latency, requests)
    local ok, other = 0, 0
    for _, thread in ipairs(threads) do
        ok = ok + thread:get("confirmed")
        other = other + thread:get("unexpected")
    end
    io.write(string.format("non-2xx answers: %d\n", summary.errors.status))
    io.write(string.format("state changed as asked: %d answers; not changed or unexpected: %d\n", ok, other))
end
