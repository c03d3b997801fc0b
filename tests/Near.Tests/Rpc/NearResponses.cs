namespace Keystore.Near.Tests.Rpc;

/// <summary>
/// Response bodies shaped like nearcore's JSON-RPC (docs.near.org "RPC API" pages and nearcore's
/// jsonrpc error types): structured errors with name/cause/info plus the legacy data field.
/// </summary>
internal static class NearResponses
{
    public const string BlockHash = "EPnLgE7iEq9s7yTkos96M3cWymH5avBAPm3qx3NXqR8H";

    public static string Result(string resultJson) => $$$$$$"""{"jsonrpc":"2.0","result":{{{{{{resultJson}}}}}},"id":"dontcare"}""";

    public static string Block => Result($$$$$$"""
        {"author":"node0","chunks":[],"header":{"height":17821130,"prev_height":17821129,"epoch_id":"11111111111111111111111111111111",
        "hash":"{{{{{{BlockHash}}}}}}","prev_hash":"F5sbk4eEQJE3Lg5gWkqiRVk2hRsnVXxChd4JjvsgJvqQ","timestamp":1720000000000000000,
        "timestamp_nanosec":"1720000000000000000","chunk_mask":[true]}}
        """);

    public static string ViewAccount => Result("""
        {"amount":"399992611103597728750000000","locked":"0","code_hash":"11111111111111111111111111111111",
         "storage_usage":642,"storage_paid_at":0,"block_height":17795474,"block_hash":"9MjpcnwW3TSdzGweNfPbkx8M74q1XzUcT1PAN8G5bNDz"}
        """);

    public static string ViewAccessKey(ulong nonce) => Result($$$$$$"""
        {"nonce":{{{{{{nonce}}}}}},"permission":"FullAccess","block_height":17798001,"block_hash":"{{{{{{BlockHash}}}}}}"}
        """);

    public static string AccessKeyList(string fullKey1, string fullKey2, string fcKey) => Result($$$$$$"""
        {"keys":[
          {"public_key":"{{{{{{fullKey1}}}}}}","access_key":{"nonce":68,"permission":"FullAccess"}},
          {"public_key":"{{{{{{fcKey}}}}}}","access_key":{"nonce":2,"permission":{"FunctionCall":{"allowance":"250000000000000000000000","receiver_id":"tee-dao.near","method_names":["request_master_secret"]}}}},
          {"public_key":"{{{{{{fullKey2}}}}}}","access_key":{"nonce":1,"permission":"FullAccess"}}
        ],"block_height":17798005,"block_hash":"{{{{{{BlockHash}}}}}}"}
        """);

    public static string CallFunction(byte[] result) => Result(
        "{\"result\":[" + string.Join(",", result) + "],\"logs\":[],\"block_height\":17817336,\"block_hash\":\"" + BlockHash + "\"}");

    public static string FinalOutcome(string txHash, string statusJson) => Result($$$$$$"""
        {"final_execution_status":"FINAL","status":{{{{{{statusJson}}}}}},
         "transaction":{"signer_id":"worker.near","public_key":"ed25519:11111111111111111111111111111111","nonce":21,"receiver_id":"tee-dao.near","actions":[],"signature":"ed25519:1","hash":"{{{{{{txHash}}}}}}"},
         "transaction_outcome":{"id":"{{{{{{txHash}}}}}}","outcome":{"logs":[],"receipt_ids":[],"gas_burnt":2427992549888,"tokens_burnt":"0","executor_id":"worker.near","status":{"SuccessReceiptId":"x"}},"block_hash":"{{{{{{BlockHash}}}}}}","proof":[]},
         "receipts_outcome":[]}
        """);

    public static string Error(string causeName, string infoJson, string data) => $$$$$$"""
        {"jsonrpc":"2.0","error":{"name":"HANDLER_ERROR","cause":{"name":"{{{{{{causeName}}}}}}","info":{{{{{{infoJson}}}}}}},"code":-32000,"message":"Server error","data":{{{{{{data}}}}}}},"id":"dontcare"}
        """;

    public static string UnknownAccount(string account) => Error("UNKNOWN_ACCOUNT",
        $$$$$$"""{"requested_account_id":"{{{{{{account}}}}}}","block_height":1,"block_hash":"{{{{{{BlockHash}}}}}}"}""", $"\"account {account} does not exist while viewing\"");

    public static string InvalidNonce(ulong txNonce, ulong akNonce) => Error("INVALID_TRANSACTION",
        $$$$$$"""{"TxExecutionError":{"InvalidTxError":{"InvalidNonce":{"tx_nonce":{{{{{{txNonce}}}}}},"ak_nonce":{{{{{{akNonce}}}}}}}}}}""",
        $$$$$$"""{"TxExecutionError":{"InvalidTxError":{"InvalidNonce":{"ak_nonce":{{{{{{akNonce}}}}}},"tx_nonce":{{{{{{txNonce}}}}}}}}}}""");

    public static string InvalidSignature => Error("INVALID_TRANSACTION",
        """{"TxExecutionError":{"InvalidTxError":"InvalidSignature"}}""", """{"TxExecutionError":{"InvalidTxError":"InvalidSignature"}}""");

    public static string AccessKeyNotFound(string account, string key) => Error("INVALID_TRANSACTION",
        $$$$$$"""{"TxExecutionError":{"InvalidTxError":{"InvalidAccessKeyError":{"AccessKeyNotFound":{"account_id":"{{{{{{account}}}}}}","public_key":"{{{{{{key}}}}}}"}}}}}""",
        $$$$$$"""{"TxExecutionError":{"InvalidTxError":{"InvalidAccessKeyError":{"AccessKeyNotFound":{"account_id":"{{{{{{account}}}}}}","public_key":"{{{{{{key}}}}}}"}}}}}""");

    public static string TimeoutError => """{"jsonrpc":"2.0","error":{"name":"HANDLER_ERROR","cause":{"name":"TIMEOUT_ERROR"},"code":-32000,"message":"Server error","data":"Timeout"},"id":"dontcare"}""";

    public static string LegacyTimeout => """{"jsonrpc":"2.0","error":{"code":-32000,"message":"Server error","data":"Request has timed out."},"id":"dontcare"}""";
}
