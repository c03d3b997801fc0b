using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Keystore.Near.Encoding;
using Keystore.Near.Keys;
using Keystore.Near.Transactions;
using Org.BouncyCastle.Crypto.Digests;
using Wasmtime;

namespace Keystore.LocalNear.Runtime;

/// <summary>
/// The NEAR host functions for one contract call (nearcore <c>near-vm-runner/src/logic/logic.rs</c>):
/// registers, context, storage, promises, logs and hashes, each charged with NEAR's gas parameters.
/// <see cref="HostFunctions"/> binds these methods to the wasm imports of module <c>env</c>.
/// </summary>
internal sealed class VmLogic
{
    private const ulong MaxStorageKeyLength = 2048;
    private const ulong MaxStorageValueLength = 4 * 1024 * 1024;
    private const ulong MaxRegisterSize = 100 * 1024 * 1024;
    private const int MaxNumberLogs = 100;
    private const ulong MaxTotalLogLength = 16 * 1024;
    private const ulong MaxReturnedData = 4 * 1024 * 1024;
    private const ulong MaxPromisesPerFunctionCall = 1000;

    private readonly Dictionary<ulong, byte[]> _registers = [];
    private readonly List<Promise> _promises = [];
    private readonly List<(ActionReceipt Receipt, int ActionIndex, ulong Weight)> _weightedCalls = [];
    private ulong _totalLogLength;
    private int _dataIdCounter;

    public required string CurrentAccountId { get; init; }
    public required string PredecessorAccountId { get; init; }
    public required string SignerAccountId { get; init; }
    public required Ed25519PublicKey? SignerPublicKey { get; init; }
    public required byte[] Input { get; init; }
    public required ulong BlockHeight { get; init; }
    public required ulong BlockTimestamp { get; init; }
    public required ulong EpochHeight { get; init; }
    public required byte[] RandomSeed { get; init; }
    public required UInt128 AttachedDeposit { get; init; }
    public required bool IsView { get; init; }
    public required IReadOnlyList<PromiseResult> PromiseResults { get; init; }
    public required ChainState State { get; init; }
    public required AccountRecord Account { get; init; }
    public required GasCounter Gas { get; init; }
    /// <summary>How many receipts wait on this call's result (its receipt's output data receivers).</summary>
    public required int OutputDataReceivers { get; init; }
    /// <summary>The executing receipt's id: new receipt and data ids derive from it.</summary>
    public required byte[] ReceiptId { get; init; }

    public Memory? Memory { get; set; }
    public List<string> Logs { get; } = [];
    public List<ActionReceipt> NewReceipts { get; } = [];
    public byte[]? ReturnValue { get; private set; }
    /// <summary>The receipt this call returned with <c>promise_return</c>, if that was its last word.</summary>
    public ActionReceipt? ReturnedReceipt { get; private set; }
    /// <summary>The first host error raised, kept because the wasm engine may wrap the exception.</summary>
    public VmAbortException? Abort { get; set; }

    private abstract record Promise
    {
        public sealed record Receipt(ActionReceipt Value) : Promise;
        public sealed record Joint(IReadOnlyList<ActionReceipt> Receipts) : Promise;
    }

    // ---- memory and registers ----

    private Memory Mem => Memory ?? throw VmAbortException.MemoryAccessViolation();

    public byte[] ReadMemory(ulong ptr, ulong len)
    {
        Gas.Burn(GasSchedule.ReadMemoryBase, GasSchedule.ReadMemoryByte, len);
        var mem = Mem;
        ulong size = (ulong)mem.GetLength();
        if (ptr > size || len > size - ptr) throw VmAbortException.MemoryAccessViolation();
        return len == 0 ? [] : mem.GetSpan((long)ptr, (int)len).ToArray();
    }

    public void WriteMemory(ulong ptr, ReadOnlySpan<byte> data)
    {
        Gas.Burn(GasSchedule.WriteMemoryBase, GasSchedule.WriteMemoryByte, (ulong)data.Length);
        var mem = Mem;
        ulong size = (ulong)mem.GetLength();
        if (ptr > size || (ulong)data.Length > size - ptr) throw VmAbortException.MemoryAccessViolation();
        if (data.Length > 0) data.CopyTo(mem.GetSpan((long)ptr, data.Length));
    }

    private UInt128 ReadU128(ulong ptr) => BinaryPrimitives.ReadUInt128LittleEndian(ReadMemory(ptr, 16));

    private void WriteU128(ulong ptr, UInt128 value)
    {
        Span<byte> b = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128LittleEndian(b, value);
        WriteMemory(ptr, b);
    }

    public void SetRegister(ulong id, byte[] data)
    {
        Gas.Burn(GasSchedule.WriteRegisterBase + GasSchedule.WriteRegisterByte * (ulong)data.Length);
        if ((ulong)data.Length > MaxRegisterSize) throw VmAbortException.Execution($"The length of register {data.Length} exceeds the limit {MaxRegisterSize}.");
        _registers[id] = data;
    }

    public void ReadRegister(ulong id, ulong ptr)
    {
        if (!_registers.TryGetValue(id, out var data)) throw VmAbortException.InvalidRegister(id);
        Gas.Burn(GasSchedule.ReadRegisterBase + GasSchedule.ReadRegisterByte * (ulong)data.Length);
        WriteMemory(ptr, data);
    }

    public ulong RegisterLength(ulong id) => _registers.TryGetValue(id, out var data) ? (ulong)data.Length : ulong.MaxValue;

    /// <summary>A key or value argument: from memory, or (len = u64::MAX) from register <paramref name="ptr"/>, as nearcore's <c>get_memory_or_register</c>.</summary>
    private byte[] MemoryOrRegister(ulong ptr, ulong len)
    {
        if (len != ulong.MaxValue) return ReadMemory(ptr, len);
        if (!_registers.TryGetValue(ptr, out var data)) throw VmAbortException.InvalidRegister(ptr);
        Gas.Burn(GasSchedule.ReadRegisterBase + GasSchedule.ReadRegisterByte * (ulong)data.Length);
        return data;
    }

    private string ReadUtf8(ulong len, ulong ptr, ulong maxLength)
    {
        byte[] bytes;
        if (len == ulong.MaxValue)
        {
            // NUL-terminated: nearcore reads byte by byte up to the limit.
            var buffer = new List<byte>();
            for (ulong p = ptr; ; p++)
            {
                if ((ulong)buffer.Count > maxLength) throw VmAbortException.Execution($"The length of a log message {buffer.Count} exceeds the limit {maxLength}.");
                byte b = ReadMemory(p, 1)[0];
                if (b == 0) break;
                buffer.Add(b);
            }
            bytes = [.. buffer];
        }
        else
        {
            if (len > maxLength) throw VmAbortException.Execution($"The length of a log message {len} exceeds the limit {maxLength}.");
            bytes = ReadMemory(ptr, len);
        }
        Gas.Burn(GasSchedule.Utf8DecodingBase + GasSchedule.Utf8DecodingByte * (ulong)bytes.Length);
        try { return new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException) { throw VmAbortException.BadUtf8(); }
    }

    private string ReadUtf16(ulong len, ulong ptr, ulong maxLength)
    {
        byte[] bytes;
        if (len == ulong.MaxValue)
        {
            var buffer = new List<byte>();
            for (ulong p = ptr; ; p += 2)
            {
                if ((ulong)buffer.Count > maxLength) throw VmAbortException.Execution($"The length of a log message {buffer.Count} exceeds the limit {maxLength}.");
                var pair = ReadMemory(p, 2);
                if (pair[0] == 0 && pair[1] == 0) break;
                buffer.AddRange(pair);
            }
            bytes = [.. buffer];
        }
        else
        {
            if (len % 2 != 0) throw VmAbortException.BadUtf16();
            bytes = ReadMemory(ptr, len);
        }
        Gas.Burn(GasSchedule.Utf16DecodingBase + GasSchedule.Utf16DecodingByte * (ulong)bytes.Length);
        try { return new UnicodeEncoding(false, false, true).GetString(bytes); }
        catch (DecoderFallbackException) { throw VmAbortException.BadUtf16(); }
    }

    private void ProhibitInView(string name)
    {
        if (IsView) throw VmAbortException.ProhibitedInView(name);
    }

    // ---- context ----

    public void CurrentAccountIdTo(ulong register) => SetRegister(register, Encoding.UTF8.GetBytes(CurrentAccountId));

    public void SignerAccountIdTo(ulong register)
    {
        ProhibitInView("signer_account_id");
        SetRegister(register, Encoding.UTF8.GetBytes(SignerAccountId));
    }

    public void SignerAccountPkTo(ulong register)
    {
        ProhibitInView("signer_account_pk");
        // Borsh PublicKey: key type 0 (ed25519) then the 32 bytes.
        SetRegister(register, SignerPublicKey is null ? [] : [0, .. SignerPublicKey.Bytes.Span]);
    }

    public void PredecessorAccountIdTo(ulong register)
    {
        ProhibitInView("predecessor_account_id");
        SetRegister(register, Encoding.UTF8.GetBytes(PredecessorAccountId));
    }

    public void InputTo(ulong register) => SetRegister(register, Input);

    public ulong BlockIndex() => BlockHeight;

    public ulong BlockTimestampNanos() => BlockTimestamp;

    public ulong EpochHeightValue() => EpochHeight;

    public ulong StorageUsage() => Account.StorageUsage;

    public void AccountBalanceTo(ulong ptr) => WriteU128(ptr, Account.Amount);

    public void AccountLockedBalanceTo(ulong ptr) => WriteU128(ptr, Account.Locked);

    public void AttachedDepositTo(ulong ptr)
    {
        ProhibitInView("attached_deposit");
        WriteU128(ptr, AttachedDeposit);
    }

    public ulong PrepaidGasValue()
    {
        ProhibitInView("prepaid_gas");
        return Gas.PrepaidGas;
    }

    public ulong UsedGasValue()
    {
        ProhibitInView("used_gas");
        return Gas.Used;
    }

    public void RandomSeedTo(ulong register) => SetRegister(register, RandomSeed);

    // ---- hashes and signatures ----

    public void Sha256(ulong len, ulong ptr, ulong register)
    {
        Gas.Burn(GasSchedule.Sha256Base);
        var value = MemoryOrRegister(ptr, len);
        Gas.Burn(GasSchedule.Sha256Byte * (ulong)value.Length);
        SetRegister(register, SHA256.HashData(value));
    }

    public void Keccak256(ulong len, ulong ptr, ulong register)
    {
        Gas.Burn(GasSchedule.Keccak256Base);
        var value = MemoryOrRegister(ptr, len);
        Gas.Burn(GasSchedule.Keccak256Byte * (ulong)value.Length);
        SetRegister(register, Digest(new KeccakDigest(256), value));
    }

    public void Keccak512(ulong len, ulong ptr, ulong register)
    {
        Gas.Burn(GasSchedule.Keccak512Base);
        var value = MemoryOrRegister(ptr, len);
        Gas.Burn(GasSchedule.Keccak512Byte * (ulong)value.Length);
        SetRegister(register, Digest(new KeccakDigest(512), value));
    }

    public void Ripemd160(ulong len, ulong ptr, ulong register)
    {
        Gas.Burn(GasSchedule.Ripemd160Base);
        var value = MemoryOrRegister(ptr, len);
        // nearcore charges per 64-byte message block, counting the padding.
        Gas.Burn(GasSchedule.Ripemd160Block * (((ulong)value.Length + 9 + 63) / 64));
        SetRegister(register, Digest(new RipeMD160Digest(), value));
    }

    private static byte[] Digest(Org.BouncyCastle.Crypto.IDigest digest, byte[] value)
    {
        digest.BlockUpdate(value, 0, value.Length);
        var output = new byte[digest.GetDigestSize()];
        digest.DoFinal(output, 0);
        return output;
    }

    public ulong Ed25519Verify(ulong sigLen, ulong sigPtr, ulong msgLen, ulong msgPtr, ulong pkLen, ulong pkPtr)
    {
        Gas.Burn(GasSchedule.Ed25519VerifyBase);
        var signature = MemoryOrRegister(sigPtr, sigLen);
        if (signature.Length != 64) throw VmAbortException.Execution($"invalid signature length {signature.Length}, expected 64");
        var message = MemoryOrRegister(msgPtr, msgLen);
        Gas.Burn(GasSchedule.Ed25519VerifyByte * (ulong)message.Length);
        var key = MemoryOrRegister(pkPtr, pkLen);
        if (key.Length != 32) throw VmAbortException.Execution($"invalid public key length {key.Length}, expected 32");
        return new Ed25519PublicKey(key).Verify(message, signature) ? 1UL : 0UL;
    }

    // ---- results, logs, panics ----

    public void ValueReturn(ulong len, ulong ptr)
    {
        var value = MemoryOrRegister(ptr, len);
        if ((ulong)value.Length > MaxReturnedData) throw VmAbortException.Execution($"The length of a returned data {value.Length} exceeds the limit {MaxReturnedData}.");
        // nearcore charges the returned bytes once per receipt waiting on them (a data receipt each).
        ulong perByte = GasSchedule.DataReceiptCreationByte.Send + GasSchedule.DataReceiptCreationByte.Execution;
        Gas.Burn(0, perByte, (ulong)value.Length * (ulong)OutputDataReceivers);
        ReturnValue = value;
        ReturnedReceipt = null;
    }

    public void LogUtf8(ulong len, ulong ptr) => AddLog(ReadUtf8(len, ptr, MaxTotalLogLength));

    public void LogUtf16(ulong len, ulong ptr) => AddLog(ReadUtf16(len, ptr, MaxTotalLogLength));

    private void AddLog(string message)
    {
        if (Logs.Count >= MaxNumberLogs) throw VmAbortException.Execution($"The number of logs will exceed the limit {MaxNumberLogs}");
        ulong length = (ulong)Encoding.UTF8.GetByteCount(message);
        _totalLogLength += length;
        if (_totalLogLength > MaxTotalLogLength) throw VmAbortException.Execution($"The length of a log message {_totalLogLength} exceeds the limit {MaxTotalLogLength}.");
        Gas.Burn(GasSchedule.LogBase + GasSchedule.LogByte * length);
        Logs.Add(message);
    }

    public void PanicUtf8(ulong len, ulong ptr) => throw VmAbortException.Panic(ReadUtf8(len, ptr, MaxTotalLogLength));

    public void Panic() => throw VmAbortException.Panic("explicit guest panic");

    /// <summary>AssemblyScript's abort(msg, filename, line, col) with UTF-16 length-prefixed strings.</summary>
    public void AssemblyScriptAbort(uint msgPtr, uint filenamePtr, uint line, uint col)
    {
        string message = ReadAssemblyScriptString(msgPtr);
        string filename = ReadAssemblyScriptString(filenamePtr);
        throw VmAbortException.Panic($"{message}, filename: \"{filename}\" line: {line} col: {col}");
    }

    private string ReadAssemblyScriptString(uint ptr)
    {
        if (ptr < 4) throw VmAbortException.Execution("String encoding is bad UTF-16 sequence.");
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(ReadMemory(ptr - 4, 4));
        return ReadUtf16(length, ptr, MaxTotalLogLength);
    }

    // ---- storage ----

    /// <summary>
    /// nearcore charges touching_trie_node per trie node on the key's path; the trie is not modelled, so the
    /// path length is estimated from the number of records (a 16-ary trie) plus the account's root nodes.
    /// </summary>
    private ulong TrieNodeGas()
    {
        ulong depth = 2;
        for (long n = Account.Storage.Count; n >= 16; n /= 16) depth++;
        return GasSchedule.TouchingTrieNode * depth;
    }

    private byte[] StorageKey(ulong len, ulong ptr, ulong byteCost)
    {
        var key = MemoryOrRegister(ptr, len);
        if ((ulong)key.Length > MaxStorageKeyLength) throw VmAbortException.Execution($"The length of a storage key {key.Length} exceeds the limit {MaxStorageKeyLength}.");
        Gas.Burn(byteCost * (ulong)key.Length);
        return key;
    }

    public ulong StorageWrite(ulong keyLen, ulong keyPtr, ulong valueLen, ulong valuePtr, ulong register)
    {
        ProhibitInView("storage_write");
        Gas.Burn(GasSchedule.StorageWriteBase);
        var key = StorageKey(keyLen, keyPtr, GasSchedule.StorageWriteKeyByte);
        var value = MemoryOrRegister(valuePtr, valueLen);
        if ((ulong)value.Length > MaxStorageValueLength) throw VmAbortException.Execution($"The length of a storage value {value.Length} exceeds the limit {MaxStorageValueLength}.");
        Gas.Burn(GasSchedule.StorageWriteValueByte * (ulong)value.Length + TrieNodeGas());
        var old = State.StorageWrite(Account, key, value);
        if (old is null) return 0;
        Gas.Burn(GasSchedule.StorageWriteEvictedByte * (ulong)old.Length);
        SetRegister(register, old);
        return 1;
    }

    public ulong StorageRead(ulong keyLen, ulong keyPtr, ulong register)
    {
        Gas.Burn(GasSchedule.StorageReadBase);
        var key = StorageKey(keyLen, keyPtr, GasSchedule.StorageReadKeyByte);
        Gas.Burn(TrieNodeGas());
        if (!Account.Storage.TryGetValue(key, out var value)) return 0;
        Gas.Burn(GasSchedule.StorageReadValueByte * (ulong)value.Length);
        SetRegister(register, value);
        return 1;
    }

    public ulong StorageRemove(ulong keyLen, ulong keyPtr, ulong register)
    {
        ProhibitInView("storage_remove");
        Gas.Burn(GasSchedule.StorageRemoveBase);
        var key = StorageKey(keyLen, keyPtr, GasSchedule.StorageRemoveKeyByte);
        Gas.Burn(TrieNodeGas());
        var old = State.StorageRemove(Account, key);
        if (old is null) return 0;
        Gas.Burn(GasSchedule.StorageRemoveRetValueByte * (ulong)old.Length);
        SetRegister(register, old);
        return 1;
    }

    public ulong StorageHasKey(ulong keyLen, ulong keyPtr)
    {
        Gas.Burn(GasSchedule.StorageHasKeyBase);
        var key = StorageKey(keyLen, keyPtr, GasSchedule.StorageHasKeyByte);
        Gas.Burn(TrieNodeGas());
        return Account.Storage.ContainsKey(key) ? 1UL : 0UL;
    }

    // ---- promises ----

    private string ReadAccountId(ulong len, ulong ptr)
    {
        var bytes = MemoryOrRegister(ptr, len);
        string id;
        try { id = new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException) { throw VmAbortException.InvalidAccountId(); }
        if (!AccountId.IsValid(id)) throw VmAbortException.InvalidAccountId();
        return id;
    }

    private ActionReceipt ReceiptOf(ulong index, bool forAction)
    {
        if (index >= (ulong)_promises.Count) throw VmAbortException.InvalidPromiseIndex(index);
        return _promises[(int)index] switch
        {
            Promise.Receipt r => r.Value,
            _ => throw (forAction ? VmAbortException.CannotAppendActionToJointPromise() : VmAbortException.CannotReturnJointPromise()),
        };
    }

    private ulong NewReceipt(string receiverId, List<byte[]> inputDataIds)
    {
        if ((ulong)NewReceipts.Count >= MaxPromisesPerFunctionCall) throw VmAbortException.Execution($"The number of promises exceeds the limit {MaxPromisesPerFunctionCall}");
        Gas.Burn(GasSchedule.ActionReceiptCreation.Send);
        Gas.Attach(GasSchedule.ActionReceiptCreation.Execution);
        var id = SHA256.HashData([.. ReceiptId, .. "receipt"u8, .. BitConverter.GetBytes((ulong)NewReceipts.Count)]);
        var receipt = new ActionReceipt
        {
            Id = id,
            PredecessorId = CurrentAccountId,
            ReceiverId = receiverId,
            SignerId = SignerAccountId,
            SignerPublicKey = SignerPublicKey!,
            InputDataIds = inputDataIds,
        };
        NewReceipts.Add(receipt);
        _promises.Add(new Promise.Receipt(receipt));
        return (ulong)(_promises.Count - 1);
    }

    public ulong PromiseBatchCreate(ulong accountLen, ulong accountPtr)
    {
        ProhibitInView("promise_batch_create");
        return NewReceipt(ReadAccountId(accountLen, accountPtr), []);
    }

    public ulong PromiseBatchThen(ulong promiseIndex, ulong accountLen, ulong accountPtr)
    {
        ProhibitInView("promise_batch_then");
        string receiver = ReadAccountId(accountLen, accountPtr);
        if (promiseIndex >= (ulong)_promises.Count) throw VmAbortException.InvalidPromiseIndex(promiseIndex);
        var dependencies = _promises[(int)promiseIndex] switch
        {
            Promise.Receipt r => [r.Value],
            Promise.Joint j => j.Receipts,
            _ => throw new InvalidOperationException(),
        };
        var inputs = new List<byte[]>();
        foreach (var dependency in dependencies)
        {
            // A data receipt will carry the dependency's result to the new receipt.
            Gas.Burn(GasSchedule.DataReceiptCreationBase.Send);
            Gas.Attach(GasSchedule.DataReceiptCreationBase.Execution);
            var dataId = SHA256.HashData([.. ReceiptId, .. "data"u8, .. BitConverter.GetBytes(_dataIdCounter++)]);
            dependency.OutputDataReceivers.Add(new DataReceiver(dataId, receiver));
            inputs.Add(dataId);
        }
        return NewReceipt(receiver, inputs);
    }

    public ulong PromiseAnd(ulong idsPtr, ulong count)
    {
        ProhibitInView("promise_and");
        if (count > MaxPromisesPerFunctionCall) throw VmAbortException.Execution($"The number of promises exceeds the limit {MaxPromisesPerFunctionCall}");
        Gas.Burn(GasSchedule.PromiseAndBase, GasSchedule.PromiseAndPerPromise, count);
        var raw = ReadMemory(idsPtr, count * 8);
        var receipts = new List<ActionReceipt>();
        for (int i = 0; i < (int)count; i++)
        {
            ulong index = BinaryPrimitives.ReadUInt64LittleEndian(raw.AsSpan(i * 8));
            if (index >= (ulong)_promises.Count) throw VmAbortException.InvalidPromiseIndex(index);
            switch (_promises[(int)index])
            {
                case Promise.Receipt r: receipts.Add(r.Value); break;
                case Promise.Joint j: receipts.AddRange(j.Receipts); break;
            }
        }
        _promises.Add(new Promise.Joint(receipts));
        return (ulong)(_promises.Count - 1);
    }

    public ulong PromiseCreate(ulong accountLen, ulong accountPtr, ulong fnLen, ulong fnPtr, ulong argsLen, ulong argsPtr, ulong amountPtr, ulong gas)
    {
        ProhibitInView("promise_create");
        ulong index = PromiseBatchCreate(accountLen, accountPtr);
        PromiseBatchActionFunctionCall(index, fnLen, fnPtr, argsLen, argsPtr, amountPtr, gas);
        return index;
    }

    public ulong PromiseThen(ulong promiseIndex, ulong accountLen, ulong accountPtr, ulong fnLen, ulong fnPtr, ulong argsLen, ulong argsPtr, ulong amountPtr, ulong gas)
    {
        ProhibitInView("promise_then");
        ulong index = PromiseBatchThen(promiseIndex, accountLen, accountPtr);
        PromiseBatchActionFunctionCall(index, fnLen, fnPtr, argsLen, argsPtr, amountPtr, gas);
        return index;
    }

    private void AppendAction(ActionReceipt receipt, NearAction action)
    {
        var fee = GasSchedule.ActionFee(action);
        Gas.Burn(fee.Send);
        Gas.Attach(fee.Execution);
        receipt.Actions.Add(action);
    }

    /// <summary>A deposit leaves the contract's balance when the action is created (nearcore checks it here too).</summary>
    private void Spend(UInt128 amount)
    {
        if (amount == 0) return;
        if (Account.Amount < amount) throw VmAbortException.BalanceExceeded();
        State.SetAmount(Account, Account.Amount - amount);
    }

    public void PromiseBatchActionFunctionCall(ulong promiseIndex, ulong fnLen, ulong fnPtr, ulong argsLen, ulong argsPtr, ulong amountPtr, ulong gas) =>
        FunctionCallAction(promiseIndex, fnLen, fnPtr, argsLen, argsPtr, amountPtr, gas, 0, "promise_batch_action_function_call");

    public void PromiseBatchActionFunctionCallWeight(ulong promiseIndex, ulong fnLen, ulong fnPtr, ulong argsLen, ulong argsPtr, ulong amountPtr, ulong gas, ulong weight) =>
        FunctionCallAction(promiseIndex, fnLen, fnPtr, argsLen, argsPtr, amountPtr, gas, weight, "promise_batch_action_function_call_weight");

    private void FunctionCallAction(ulong promiseIndex, ulong fnLen, ulong fnPtr, ulong argsLen, ulong argsPtr, ulong amountPtr, ulong gas, ulong weight, string name)
    {
        ProhibitInView(name);
        var receipt = ReceiptOf(promiseIndex, forAction: true);
        var amount = ReadU128(amountPtr);
        var methodBytes = MemoryOrRegister(fnPtr, fnLen);
        string method;
        try { method = new UTF8Encoding(false, true).GetString(methodBytes); }
        catch (DecoderFallbackException) { throw VmAbortException.InvalidMethodName(); }
        var args = MemoryOrRegister(argsPtr, argsLen);
        Spend(amount);
        AppendAction(receipt, new FunctionCallAction(method, args, gas, amount));
        Gas.Attach(gas);
        if (weight > 0) _weightedCalls.Add((receipt, receipt.Actions.Count - 1, weight));
    }

    public void PromiseBatchActionTransfer(ulong promiseIndex, ulong amountPtr)
    {
        ProhibitInView("promise_batch_action_transfer");
        var receipt = ReceiptOf(promiseIndex, forAction: true);
        var amount = ReadU128(amountPtr);
        Spend(amount);
        AppendAction(receipt, new TransferAction(amount));
    }

    public void PromiseBatchActionCreateAccount(ulong promiseIndex)
    {
        ProhibitInView("promise_batch_action_create_account");
        AppendAction(ReceiptOf(promiseIndex, forAction: true), new CreateAccountAction());
    }

    public void PromiseBatchActionDeployContract(ulong promiseIndex, ulong codeLen, ulong codePtr)
    {
        ProhibitInView("promise_batch_action_deploy_contract");
        var receipt = ReceiptOf(promiseIndex, forAction: true);
        AppendAction(receipt, new DeployContractAction(MemoryOrRegister(codePtr, codeLen)));
    }

    private Ed25519PublicKey ReadPublicKey(ulong len, ulong ptr)
    {
        var bytes = MemoryOrRegister(ptr, len);
        // Borsh PublicKey: only ed25519 (tag 0) keys exist on this chain.
        if (bytes.Length != 33 || bytes[0] != 0) throw VmAbortException.InvalidPublicKey();
        return new Ed25519PublicKey(bytes.AsSpan(1));
    }

    public void PromiseBatchActionAddKeyWithFullAccess(ulong promiseIndex, ulong pkLen, ulong pkPtr, ulong nonce)
    {
        ProhibitInView("promise_batch_action_add_key_with_full_access");
        var receipt = ReceiptOf(promiseIndex, forAction: true);
        AppendAction(receipt, new AddKeyAction(ReadPublicKey(pkLen, pkPtr), new AccessKey(nonce, FullAccessPermission.Instance)));
    }

    public void PromiseBatchActionAddKeyWithFunctionCall(ulong promiseIndex, ulong pkLen, ulong pkPtr, ulong nonce, ulong allowancePtr,
        ulong receiverLen, ulong receiverPtr, ulong methodsLen, ulong methodsPtr)
    {
        ProhibitInView("promise_batch_action_add_key_with_function_call");
        var receipt = ReceiptOf(promiseIndex, forAction: true);
        var key = ReadPublicKey(pkLen, pkPtr);
        var allowance = ReadU128(allowancePtr);
        string receiver = ReadAccountId(receiverLen, receiverPtr);
        var methodBytes = MemoryOrRegister(methodsPtr, methodsLen);
        string methods;
        try { methods = new UTF8Encoding(false, true).GetString(methodBytes); }
        catch (DecoderFallbackException) { throw VmAbortException.BadUtf8(); }
        // Comma-separated names; an allowance of 0 means unlimited (nearcore's convention for this host function).
        var names = methods.Length == 0 ? [] : methods.Split(',').ToList();
        if (names.Any(n => n.Length == 0)) throw VmAbortException.Execution("VM Logic returned an empty method name");
        var permission = new FunctionCallPermission(allowance == 0 ? null : allowance, receiver, names);
        AppendAction(receipt, new AddKeyAction(key, new AccessKey(nonce, permission)));
    }

    public void PromiseBatchActionDeleteKey(ulong promiseIndex, ulong pkLen, ulong pkPtr)
    {
        ProhibitInView("promise_batch_action_delete_key");
        var receipt = ReceiptOf(promiseIndex, forAction: true);
        AppendAction(receipt, new DeleteKeyAction(ReadPublicKey(pkLen, pkPtr)));
    }

    public void PromiseBatchActionDeleteAccount(ulong promiseIndex, ulong beneficiaryLen, ulong beneficiaryPtr)
    {
        ProhibitInView("promise_batch_action_delete_account");
        var receipt = ReceiptOf(promiseIndex, forAction: true);
        AppendAction(receipt, new DeleteAccountAction(ReadAccountId(beneficiaryLen, beneficiaryPtr)));
    }

    public ulong PromiseResultsCount()
    {
        ProhibitInView("promise_results_count");
        return (ulong)PromiseResults.Count;
    }

    public ulong PromiseResult(ulong index, ulong register)
    {
        ProhibitInView("promise_result");
        if (index >= (ulong)PromiseResults.Count) throw VmAbortException.InvalidPromiseResultIndex(index);
        var result = PromiseResults[(int)index];
        if (!result.Successful) return 2;
        SetRegister(register, result.Data);
        return 1;
    }

    public void PromiseReturn(ulong promiseIndex)
    {
        ProhibitInView("promise_return");
        Gas.Burn(GasSchedule.PromiseReturn);
        ReturnedReceipt = ReceiptOf(promiseIndex, forAction: false);
        ReturnValue = null;
    }

    /// <summary>After a successful call: split the unused gas among weighted function calls, as nearcore does.</summary>
    public void DistributeUnusedGas()
    {
        if (_weightedCalls.Count == 0) return;
        ulong unused = Gas.RemainingForAttach;
        ulong totalWeight = _weightedCalls.Aggregate(0UL, (s, w) => s + w.Weight);
        ulong distributed = 0;
        for (int i = 0; i < _weightedCalls.Count; i++)
        {
            var (receipt, actionIndex, weight) = _weightedCalls[i];
            ulong share = i == _weightedCalls.Count - 1 ? unused - distributed : (ulong)((UInt128)unused * weight / totalWeight);
            distributed += share;
            var call = (FunctionCallAction)receipt.Actions[actionIndex];
            receipt.Actions[actionIndex] = call with { Gas = call.Gas + share };
        }
        Gas.Attach(unused);
    }
}
