-- Reads the live record of a key. It runs as a script, not as HGETALL, so that expiry is
-- decided by the server's clock and a foreign value is reported the same way as elsewhere.
local now = server_clock()
local current, corrupt = read_record(KEYS[1])
if corrupt then
  return corrupt
end
return record_reply(now, live(current, now))
