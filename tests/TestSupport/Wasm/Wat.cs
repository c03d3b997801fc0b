using System.Runtime.InteropServices;
using System.Text;

namespace Keystore.TestSupport.Wasm;

/// <summary>
/// Turns WebAssembly text into wasm bytes with Wasmtime's own converter (the native <c>wasmtime_wat2wasm</c>
/// that Module.FromText uses), so test contracts can be deployed like real ones.
/// </summary>
public static unsafe partial class Wat
{
    [StructLayout(LayoutKind.Sequential)]
    private struct ByteVec
    {
        public nuint Size;
        public byte* Data;
    }

    [LibraryImport("wasmtime")]
    private static partial IntPtr wasmtime_wat2wasm(byte* wat, nuint length, ByteVec* result);

    [LibraryImport("wasmtime")]
    private static partial void wasm_byte_vec_delete(ByteVec* vec);

    [LibraryImport("wasmtime")]
    private static partial void wasmtime_error_delete(IntPtr error);

    public static byte[] ToWasm(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        ByteVec vec;
        fixed (byte* p = bytes)
        {
            var error = wasmtime_wat2wasm(p, (nuint)bytes.Length, &vec);
            if (error != IntPtr.Zero)
            {
                wasmtime_error_delete(error);
                throw new FormatException("Invalid WebAssembly text.");
            }
        }
        try { return new ReadOnlySpan<byte>(vec.Data, checked((int)vec.Size)).ToArray(); }
        finally { wasm_byte_vec_delete(&vec); }
    }

    /// <summary>Resolves "wasmtime" the way the Wasmtime assembly does (its runtimes/ native folder).</summary>
    private static IntPtr Resolve(string name, System.Reflection.Assembly assembly, DllImportSearchPath? path) =>
        name == "wasmtime" && NativeLibrary.TryLoad("wasmtime", typeof(Wasmtime.Engine).Assembly, path, out var handle) ? handle : IntPtr.Zero;

    static Wat() => NativeLibrary.SetDllImportResolver(typeof(Wat).Assembly, Resolve);
}
