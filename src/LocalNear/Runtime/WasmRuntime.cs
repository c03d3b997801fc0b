using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Wasmtime;

namespace Keystore.LocalNear.Runtime;

/// <summary>
/// Runs contract methods with Wasmtime: one engine (fuel metering on) and one linker with the NEAR imports,
/// compiled modules cached by code hash, a fresh store and instance per call as nearcore does.
/// </summary>
internal sealed class WasmRuntime : IDisposable
{
    private const long MaxMemoryBytes = 2048L * 65536;

    private readonly Engine _engine;
    private readonly Linker _linker;
    private readonly ConcurrentDictionary<string, Lazy<CompiledCode>> _modules = new();

    private sealed record CompiledCode(Module? Module, JsonObject? Error);

    public WasmRuntime()
    {
        var config = new Config().WithFuelConsumption(true);
        _engine = new Engine(config);
        _linker = new Linker(_engine);
        HostFunctions.Define(_linker);
    }

    /// <summary>Compiles ahead of the first call (deploy time) so the cost is not paid inside a receipt's gas-metered run.</summary>
    public void Precompile(byte[] codeHash, byte[] code) => _ = Compile(codeHash, code);

    private CompiledCode Compile(byte[] codeHash, byte[] code) =>
        _modules.GetOrAdd(Convert.ToHexString(codeHash), _ => new Lazy<CompiledCode>(() =>
        {
            try
            {
                return new CompiledCode(Module.FromBytes(_engine, "contract", code), null);
            }
            catch (WasmtimeException)
            {
                // nearcore reports undecodable or invalid wasm as a PrepareError at call time.
                return new CompiledCode(null, new JsonObject { ["CompilationError"] = new JsonObject { ["PrepareError"] = "Deserialization" } });
            }
        })).Value;

    public VmOutcome Run(byte[] codeHash, byte[] code, string methodName, VmLogic logic)
    {
        var gas = logic.Gas;
        try
        {
            if (methodName.Length == 0) return Failed(logic, new JsonObject { ["MethodResolveError"] = "MethodEmptyName" });
            // Loading the contract is charged before anything runs (nearcore: contract_loading_base + bytes).
            gas.Burn(GasSchedule.ContractLoadingBase + GasSchedule.ContractLoadingByte * (ulong)code.Length);
            var compiled = Compile(codeHash, code);
            if (compiled.Module is null) return Failed(logic, compiled.Error!);
            var module = compiled.Module;
            var export = module.Exports.OfType<FunctionExport>().FirstOrDefault(e => e.Name == methodName);
            if (export is null) return Failed(logic, new JsonObject { ["MethodResolveError"] = "MethodNotFound" });
            if (export.Parameters.Count != 0 || export.Results.Count != 0)
                return Failed(logic, new JsonObject { ["MethodResolveError"] = "MethodInvalidSignature" });

            using var store = new Store(_engine, logic);
            // nearcore's max_memory_pages (2048 × 64 KiB); also bounds every guest length to an int.
            store.SetLimits(memorySize: MaxMemoryBytes);
            store.Fuel = gas.FuelBudget();
            Instance instance;
            try
            {
                instance = _linker.Instantiate(store, module);
            }
            catch (WasmtimeException e) when (logic.Abort is null && e is not TrapException)
            {
                return Failed(logic, new JsonObject { ["LinkError"] = new JsonObject { ["msg"] = e.Message } });
            }
            logic.Memory = instance.GetMemory("memory");
            var function = instance.GetFunction(methodName)!;
            function.Invoke();
            gas.ChargeFuel(store.Fuel);
            logic.DistributeUnusedGas();
            return new VmOutcome(logic.ReturnValue, logic.ReturnedReceipt, logic.NewReceipts, logic.Logs, gas.Burnt, gas.Used, gas.Instructions, null);
        }
        catch (VmAbortException e)
        {
            return Failed(logic, e.FunctionCallError);
        }
        catch (TrapException e)
        {
            if (logic.Abort is not null) return Failed(logic, logic.Abort.FunctionCallError);
            if (e.Type == TrapCode.OutOfFuel)
            {
                gas.BurnAll();
                return Failed(logic, VmAbortException.GasExceeded().FunctionCallError);
            }
            return Failed(logic, VmAbortException.Execution("WebAssembly trap: " + TrapMessage(e)).FunctionCallError);
        }
        catch (WasmtimeException) when (logic.Abort is not null)
        {
            return Failed(logic, logic.Abort.FunctionCallError);
        }
        catch (WasmtimeException e)
        {
            // nearcore's catch-all for engine failures that are neither traps nor host errors.
            return Failed(logic, new JsonObject { ["WasmUnknownError"] = e.Message });
        }
    }

    /// <summary>nearcore's <c>WasmTrap</c> Display texts.</summary>
    private static string TrapMessage(TrapException e) => e.Type switch
    {
        TrapCode.Unreachable => "An `unreachable` opcode was executed.",
        TrapCode.MemoryOutOfBounds => "Memory out of bounds trap.",
        TrapCode.HeapMisaligned => "Misaligned atomic access trap.",
        TrapCode.TableOutOfBounds => "Table out of bounds trap.",
        TrapCode.IndirectCallToNull => "Call indirect to null.",
        TrapCode.BadSignature => "Call indirect incorrect signature trap.",
        TrapCode.IntegerOverflow or TrapCode.IntegerDivisionByZero or TrapCode.BadConversionToInteger => "An arithmetic exception, e.g. divided by zero.",
        TrapCode.StackOverflow => "Stack overflow.",
        _ => e.Message,
    };

    private static VmOutcome Failed(VmLogic logic, JsonObject error) =>
        new(null, null, [], logic.Logs, logic.Gas.Burnt, logic.Gas.Burnt, logic.Gas.Instructions, error);

    public void Dispose()
    {
        foreach (var entry in _modules.Values)
            if (entry.IsValueCreated) entry.Value.Module?.Dispose();
        _linker.Dispose();
        _engine.Dispose();
    }
}
