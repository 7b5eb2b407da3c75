-- State changes on random conversations of the 10,000-conversation demo: mark unread, or open.
-- Neither can be refused by the safety rule, so every request is a real write.
local changes = { "unread", "open" }
math.randomseed(11)

-- The command line's headers (the session cookie) and the body's type.
local headers = {}

init = function()
    for name, value in pairs(wrk.headers) do
        headers[name] = value
    end
    headers["Content-Type"] = "application/json"
end

request = function()
    local id = math.random(10000)
    local body = '{"change":"' .. changes[math.random(#changes)] .. '"}'
    return wrk.format("POST", "/api/v1/conversations/" .. id .. "/state", headers, body)
end

done = function(summary, latency, requests)
    if summary.errors.status > 0 then
        io.write(string.format("non-2xx answers: %d\n", summary.errors.status))
    end
end
