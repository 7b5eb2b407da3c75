-- A search of the Contacts page as someone types it: a first name, a last name, both, or four
-- digits of a number, among 100,000 contacts.
local words = { "ana", "ben", "chloe", "david", "emma", "farid", "grace", "hugo", "ines",
    "bell", "dubois", "garcia", "haddad", "nguyen", "rossi", "smith", "tanaka", "walker",
    "ana+bell", "hugo+martin", "lea+vidal", "company+42" }
math.randomseed(11)

request = function()
    local q
    if math.random() < 0.25 then
        q = string.format("%04d", math.random(0, 9999))
    else
        q = words[math.random(#words)]
    end
    return wrk.format("GET", "/api/v1/contacts?limit=50&q=" .. q)
end
