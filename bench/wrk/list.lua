-- A page of a view, as the web app asks for it: a random view of all lines or of one line.
local views = { "open", "unread", "done" }
math.randomseed(7)

request = function()
    local view = views[math.random(#views)]
    local path = "/api/v1/conversations?limit=50&view=" .. view
    if math.random() < 0.5 then
        path = path .. "&line=" .. math.random(3)
    end
    -- No headers given: the command line's (the session cookie) are sent.
    return wrk.format("GET", path)
end
