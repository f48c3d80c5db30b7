package io.freshcache.redis;

/**
 * The shared tier's Lua scripts. Each runs atomically and touches only keys of one namespace, all
 * in the same Cluster slot; the tag keys an entry names are derived from the tag prefix passed in
 * ARGV, since no caller can know an entry's tags before reading it, and so are the entries of the
 * caches in the namespace's set of caches.
 *
 * <p>Tags: {@code t:<tag>} holds the generation at which the tag was last invalidated; an entry
 * records the values it saw when stored ({@code tv}) and is stale once any differs. A lease token
 * ends with the generation current when it was taken, so a fill refuses an entry one of whose tags
 * was invalidated while it was being loaded.
 */
final class SharedScripts {

  private SharedScripts() {}

  private static final String LIST =
      """
      local function list(s)
        local out, i = {}, 1
        while i <= #s do
          local c = string.find(s, ':', i, true)
          local n = tonumber(string.sub(s, i, c - 1))
          out[#out + 1] = string.sub(s, c + 1, c + n)
          i = c + n + 1
        end
        return out
      end
      """;

  private static final String NEWER =
      """
      local function newer(a, b)
        local ah, bh = tonumber(string.sub(a, 1, 8), 16), tonumber(string.sub(b, 1, 8), 16)
        if ah ~= bh then return ah > bh end
        return tonumber(string.sub(a, 9, 16), 16) > tonumber(string.sub(b, 9, 16), 16)
      end
      """;

  private static final String FRESH =
      """
      local function fresh(tagprefix, tags, seen)
        if tags == '' then return true end
        local names, versions = list(tags), list(seen)
        for i = 1, #names do
          if (redis.call('GET', tagprefix .. names[i]) or '0') ~= versions[i] then return false end
        end
        return true
      end
      """;

  private static final String STORE =
      """
      local function store(entry, tagprefix, v, ver, tags, ttl, since)
        local seen = {}
        for _, tag in ipairs(list(tags)) do
          local n = redis.call('GET', tagprefix .. tag) or '0'
          if since and tonumber(n) > since then return false end
          seen[#seen + 1] = #n .. ':' .. n
        end
        redis.call('HSET', entry, 'v', v, 'ver', ver, 'tags', tags, 'tv', table.concat(seen))
        redis.call('PEXPIRE', entry, ttl)
        return true
      end
      """;

  /** What the scripts that store entries share. */
  private static final String FUNCTIONS = LIST + NEWER + FRESH + STORE;

  /** How many keys one {@link #LOOKUP} takes at most: a bigger batch is split. */
  static final int LOOKUP_BATCH = 500;

  /**
   * KEYS: generation, then entry and lease of each key. ARGV: tag prefix, random token part, hold
   * time in ms. Answers five items per key, at fixed positions: {@code 1, value, ver, tags, pttl}
   * on a hit; {@code 2, token, '', '', 0} for a new lease (the token ends with {@code
   * .<generation>} and is unique to the key); {@code 3, '', '', '', 0} if another holds the lease.
   * The generation is read once, on the first miss. An entry one of whose tags was invalidated is
   * deleted and counts as a miss.
   */
  static final String LOOKUP =
      LIST
          + FRESH
          + """
          local out, n, g = {}, 0, nil
          for i = 2, #KEYS, 2 do
            local e = redis.call('HMGET', KEYS[i], 'v', 'ver', 'tags', 'tv')
            local hit = false
            if e[1] then
              if fresh(ARGV[1], e[3], e[4]) then
                out[n + 1], out[n + 2], out[n + 3], out[n + 4] = 1, e[1], e[2], e[3]
                out[n + 5] = redis.call('PTTL', KEYS[i])
                hit = true
              else
                redis.call('UNLINK', KEYS[i])
              end
            end
            if not hit then
              g = g or (redis.call('GET', KEYS[1]) or '0')
              local token = ARGV[2] .. ':' .. (i / 2) .. '.' .. g
              if redis.call('SET', KEYS[i + 1], token, 'NX', 'PX', ARGV[3]) then
                out[n + 1], out[n + 2] = 2, token
              else
                out[n + 1], out[n + 2] = 3, ''
              end
              out[n + 3], out[n + 4], out[n + 5] = '', '', 0
            end
            n = n + 5
          end
          return out
          """;

  /**
   * KEYS: entry, lease. ARGV: token, tag prefix, value, ver, tags, ttl in ms. Returns 1 if stored.
   * The lease is released if it is still this token's, whatever else happens.
   */
  static final String FILL =
      FUNCTIONS
          + """
          if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
          redis.call('DEL', KEYS[2])
          local old = redis.call('HGET', KEYS[1], 'ver')
          if old and newer(old, ARGV[4]) then return 0 end
          local since = tonumber(string.match(ARGV[1], '%.(%d+)$'))
          if store(KEYS[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], since) then return 1 end
          return 0
          """;

  /**
   * KEYS: lease. ARGV: token. Drops the lease if it is still this token's; returns 1 if it did. The
   * entry is not touched: it may hold a put that voided the lease.
   */
  static final String RELEASE =
      """
      if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
      redis.call('DEL', KEYS[1])
      return 1
      """;

  /** KEYS: entry, lease. ARGV: tag prefix, value, ver, tags, ttl in ms. Returns 1 if stored. */
  static final String PUT =
      FUNCTIONS
          + """
          redis.call('DEL', KEYS[2])
          local old = redis.call('HGET', KEYS[1], 'ver')
          if old and newer(old, ARGV[3]) then return 0 end
          store(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], nil)
          return 1
          """;

  /**
   * KEYS: the set of the namespace's caches. ARGV: the namespace's key base, then keys. Deletes the
   * keys' entries and leases in every cache of the set, UNLINKing 1,000 names at a time; returns
   * the number of caches.
   */
  static final String INVALIDATE_IN_EVERY_CACHE =
      """
      local caches = redis.call('SMEMBERS', KEYS[1])
      local names = {}
      for _, cache in ipairs(caches) do
        for i = 2, #ARGV do
          names[#names + 1] = ARGV[1] .. 'e:' .. cache .. '/' .. ARGV[i]
          names[#names + 1] = ARGV[1] .. 'l:' .. cache .. '/' .. ARGV[i]
          if #names >= 1000 then
            redis.call('UNLINK', unpack(names))
            names = {}
          end
        end
      end
      if #names > 0 then redis.call('UNLINK', unpack(names)) end
      return #caches
      """;

  /**
   * KEYS: generation, then one key per tag. Sets every tag to a new generation: one INCR and one
   * SET per tag, whatever number of entries carry them. Returns the generation.
   */
  static final String INVALIDATE_TAGS =
      """
      local g = redis.call('INCR', KEYS[1])
      for i = 2, #KEYS do redis.call('SET', KEYS[i], g) end
      return g
      """;
}
