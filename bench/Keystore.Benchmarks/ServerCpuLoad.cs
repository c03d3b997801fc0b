using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Keystore.TestSupport.Auth;
using NSec.Cryptography;

namespace Keystore.Benchmarks;

/// <summary>
/// Server-process CPU per authenticated EIP-1559 sign request: each keystore build given runs as its own process
/// (<c>dotnet Keystore.dll</c>, backup master secret, one configured owner), this process loads it over loopback
/// with credentials signed before the clock starts (a fresh NEP-413 nonce each, as real clients send), and the
/// server's CPU is its utime + stime from <c>/proc/&lt;pid&gt;/stat</c> over the measured window, divided by the
/// requests it answered. The client's own CPU is not counted. Several builds run one after the other in one run
/// (e.g. main's and this branch's), so their figures share the machine's conditions.
/// </summary>
public static class ServerCpuLoad
{
    private const string Account = "alice.near";
    private const string Path = "/v1/accounts/alice.near/sign/ethereum";
    private const string BatchPath = "/v1/accounts/alice.near/sign-batch/ethereum";
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(15);
    private const string Body = """{"transaction":{"type":"0x2","chainId":"0x1","nonce":"0x0","to":"0x3535353535353535353535353535353535353535","value":"0x1","gas":"0x5208","maxFeePerGas":"0x4a817c800","maxPriorityFeePerGas":"0x3b9aca00"}}""";

    public static async Task<int> RunAsync(IReadOnlyList<string> keystoreDlls, int concurrency, TimeSpan duration)
    {
        int failures = 0;
        foreach (string dll in keystoreDlls)
        {
            Measurement single = await MeasureAsync(dll, concurrency, duration, Single);
            failures += single.Failed > 0 ? 1 : 0;
            Console.WriteLine($"{dll}: {single.Describe(concurrency)}");
        }
        return failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// Per build: the single route as <see cref="RunAsync"/> measures it, then <c>…/sign-batch/ethereum</c> with
    /// <paramref name="items"/> EIP-1559 transactions a request (one authentication, one signature and audit entry each),
    /// its server CPU divided by the items signed, so the two figures are printed side by side.
    /// </summary>
    public static async Task<int> RunBatchAsync(IReadOnlyList<string> keystoreDlls, int concurrency, TimeSpan duration, int items)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(items, 1);
        int failures = 0;
        foreach (string dll in keystoreDlls)
        {
            Measurement single = await MeasureAsync(dll, concurrency, duration, Single);
            Measurement batch = await MeasureAsync(dll, concurrency, duration, Batch(items));
            failures += single.Failed + batch.Failed > 0 ? 1 : 0;
            Console.WriteLine($"{dll}:\n  single: {single.Describe(concurrency)}\n  batch of {items}: {batch.Describe(concurrency)}");
        }
        return failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// Per signed item of <c>…/sign-batch/ethereum</c> only, as <see cref="RunBatchAsync"/> measures it, the builds taking
    /// turns for <paramref name="rounds"/> rounds; each build's median is printed at the end.
    /// </summary>
    public static async Task<int> RunBatchOnlyAsync(IReadOnlyList<string> keystoreDlls, int concurrency, TimeSpan duration, int items, int rounds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(items, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        int failures = 0;
        var perItem = keystoreDlls.ToDictionary(d => d, _ => new List<double>());
        for (int round = 0; round < rounds; round++)
        {
            foreach (string dll in keystoreDlls)
            {
                Measurement batch = await MeasureAsync(dll, concurrency, duration, Batch(items));
                failures += batch.Failed > 0 ? 1 : 0;
                perItem[dll].Add(batch.CpuSeconds * 1e6 / Math.Max(1, batch.Ok * items));
                Console.WriteLine($"{dll}: batch of {items}: {batch.Describe(concurrency)}");
            }
        }
        foreach ((string dll, List<double> us) in perItem)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{dll}: median {us.Order().ElementAt(us.Count / 2):F0} µs per signed item over {us.Count} runs ({string.Join(", ", us.Select(u => u.ToString("F0", CultureInfo.InvariantCulture)))})"));
        return failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// The floor under a sign request on this machine, per build: the server CPU of an unauthenticated
    /// <c>GET /v1/health</c> (Kestrel, routing, loopback TCP and the kernel's share of them), of an owner's authenticated
    /// <c>GET …/policy</c> (that plus the NEP-413 verification, the nonce's write and one store read), and of the EIP-1559
    /// sign request, from the same clients and the same kind of server process, so what a sign request adds to a bare
    /// HTTP request can be read off.
    /// </summary>
    public static async Task<int> RunFloorAsync(IReadOnlyList<string> keystoreDlls, int concurrency, TimeSpan duration)
    {
        int failures = 0;
        foreach (string dll in keystoreDlls)
        {
            Console.WriteLine($"{dll}:");
            foreach ((string name, Workload workload) in new[] { ("health (no authentication)", Health), ("policy read (authenticated)", PolicyRead), ("sign", Single) })
            {
                Measurement measured = await MeasureAsync(dll, concurrency, duration, workload);
                failures += measured.Failed > 0 ? 1 : 0;
                Console.WriteLine($"  {name}: {measured.Describe(concurrency)}");
            }
        }
        return failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// What each request of a run sends: its method, path and body, whether it carries a NEP-413 credential, and how
    /// many signatures one answer holds (0 for a route that signs nothing: its figures are per request).
    /// </summary>
    private sealed record Workload(string Path, byte[] Body, int ItemsPerRequest, HttpMethod? Method = null, bool Authenticated = true)
    {
        public HttpMethod Verb => Method ?? HttpMethod.Post;
    }

    private static readonly Workload Single = new(Path, Encoding.UTF8.GetBytes(Body), 1);
    private static readonly Workload Health = new("/v1/health", [], 0, HttpMethod.Get, Authenticated: false);
    private static readonly Workload PolicyRead = new($"/v1/accounts/{Account}/policy", [], 0, HttpMethod.Get);

    private static Workload Batch(int items)
    {
        // Transactions differing in their nonce, as a caller's batch would.
        IEnumerable<string> transactions = Enumerable.Range(0, items)
            .Select(i => Body.Replace("\"nonce\":\"0x0\"", $"\"nonce\":\"0x{i:x}\"", StringComparison.Ordinal));
        return new Workload(BatchPath, Encoding.UTF8.GetBytes($"{{\"items\":[{string.Join(',', transactions)}]}}"), items);
    }

    private sealed record Measurement(long Ok, long Failed, double Seconds, double CpuSeconds, double P50Ms, int ItemsPerRequest)
    {
        public string Describe(int concurrency)
        {
            // A route that signs nothing is counted per request.
            long signed = Ok * Math.Max(1, ItemsPerRequest);
            string unit = ItemsPerRequest <= 1 ? "request" : "signed item";
            return string.Create(CultureInfo.InvariantCulture,
                $"{Ok} ok, {Failed} failed in {Seconds:F1} s with {concurrency} clients = {Ok / Seconds:F0} requests/s ({signed / Seconds:F0} signatures/s), " +
                $"p50 {P50Ms:F2} ms, server CPU {CpuSeconds:F2} s = {CpuSeconds * 1e6 / Math.Max(1, signed):F0} µs per {unit} " +
                $"(= {signed / Math.Max(CpuSeconds, 1e-9) * 2:F0} signatures/s per 2 cores), load average {LoadAverage()}");
        }
    }

    private static async Task<Measurement> MeasureAsync(string dll, int concurrency, TimeSpan duration, Workload workload)
    {
        using var owner = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        string ownerKey = new Keystore.Near.Keys.Ed25519PublicKey(owner.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToString();
        int port = FreePort();
        string workDir = Directory.CreateTempSubdirectory("keystore-load-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in new[]
        {
            dll, $"--Urls=http://127.0.0.1:{port}", "--Keystore:MasterSecret:Source=backup",
            "--Keystore:MasterSecret:BackupHex=" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            "--Keystore:Tee:Provider=none", $"--Keystore:Owners:{Account}:0={ownerKey}", "--Logging:LogLevel:Default=Warning",
            // One account sends every request: lift the per-account cap of nonces in the replay window above the run's count.
            "--Keystore:Auth:NonceCapacity=1000000",
        }) start.ArgumentList.Add(a);
        // The server runs in its own working directory: a relative path to the dll must not depend on it.
        start.ArgumentList[0] = System.IO.Path.GetFullPath(dll);
        using Process server = Process.Start(start) ?? throw new InvalidOperationException("the keystore did not start");
        _ = server.StandardOutput.ReadToEndAsync();
        _ = server.StandardError.ReadToEndAsync();
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            };
            for (int i = 0; ; i++)
            {
                try
                {
                    if ((await client.GetAsync("/v1/ready")).IsSuccessStatusCode) break;
                }
                catch (HttpRequestException) when (i < 300) { }
                if (i >= 300) throw new TimeoutException("the keystore did not become ready");
                await Task.Delay(100);
            }

            byte[] body = workload.Body;
            // Enough credentials for the run at 20,000 signatures/s, signed before anything is measured.
            // A route that signs nothing may go faster: enough for 40,000 requests/s.
            int needed = (int)Math.Min(1_200_000, (workload.ItemsPerRequest == 0 ? 40_000 : 20_000 / workload.ItemsPerRequest) * (duration.TotalSeconds + WarmUp.TotalSeconds + 2) + 200);
            var credentials = new string?[needed];
            Parallel.For(0, needed, i => credentials[i] = workload.Authenticated ? NearRequests.Credential(workload.Verb.Method, workload.Path, body, Account, owner) : null);
            int next = -1;
            int shownFailures = 0;

            async Task<bool> SendAsync()
            {
                int i = Interlocked.Increment(ref next);
                if (i >= credentials.Length) return false;
                using var request = new HttpRequestMessage(workload.Verb, workload.Path);
                if (workload.Verb == HttpMethod.Post)
                {
                    request.Content = new ByteArrayContent(body);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                }
                if (credentials[i] is { } credential)
                    request.Headers.Authorization = new AuthenticationHeaderValue("NEAR", credential);
                using HttpResponseMessage response = await client.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.OK && Interlocked.Increment(ref shownFailures) <= 3)
                    Console.Error.WriteLine($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                if (response.StatusCode != HttpStatusCode.OK || workload.ItemsPerRequest <= 1)
                    return response.StatusCode == HttpStatusCode.OK;
                // A batch answers 200 with a problem per failed item: only an answer whose every item was signed counts.
                string answer = await response.Content.ReadAsStringAsync();
                int signed = CountOf(answer, "{\"result\":");
                if (signed != workload.ItemsPerRequest && Interlocked.Increment(ref shownFailures) <= 3)
                    Console.Error.WriteLine($"{signed} of {workload.ItemsPerRequest} items signed: {answer[..Math.Min(answer.Length, 400)]}");
                return signed == workload.ItemsPerRequest;
            }

            // Warm-up: connections and the account's key derived once (the cache, where there is one), then the same
            // concurrent load unmeasured, so tiered JIT (tier-0 → instrumented → tier-1, which a loaded machine delays by
            // seconds) is done before the clock starts: what is measured is the steady state, not the compiler.
            for (int i = 0; i < 200; i++) await SendAsync();
            await LoadAsync(WarmUp, new List<double>[concurrency], new long[2]);

            var latencies = new List<double>[concurrency];
            var counts = new long[2];
            // For a profiler attached to the server (see bench/README.md): the measured window starts now.
            Console.Error.WriteLine($"measuring server pid {server.Id} for {duration.TotalSeconds:F0} s");
            double cpuBefore = CpuSeconds(server.Id);
            double seconds = await LoadAsync(duration, latencies, counts);
            double cpu = CpuSeconds(server.Id) - cpuBefore;
            double[] all = latencies.SelectMany(l => l).Order().ToArray();
            return new Measurement(counts[0], counts[1], seconds, cpu, all.Length == 0 ? 0 : all[all.Length / 2], workload.ItemsPerRequest);

            // Counts [ok, failed] into counts; returns the seconds it ran.
            async Task<double> LoadAsync(TimeSpan length, List<double>[] latencies, long[] counts)
            {
                var clock = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
                {
                    var mine = latencies[w] = [];
                    while (clock.Elapsed < length)
                    {
                        long t = Stopwatch.GetTimestamp();
                        if (Volatile.Read(ref next) >= credentials.Length - 1) break;
                        bool success = await SendAsync();
                        mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                        Interlocked.Increment(ref counts[success ? 0 : 1]);
                    }
                })));
                return clock.Elapsed.TotalSeconds;
            }
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(workDir, recursive: true);
        }
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    /// <summary>utime + stime of a process, in seconds (fields 14 and 15 of /proc/&lt;pid&gt;/stat, in clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing parenthesis.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }

    /// <summary>The machine's 1-minute load average when the figure was taken (<c>/proc/loadavg</c>): the figures depend on it.</summary>
    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
