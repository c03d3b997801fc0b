namespace Keystore.Dao;

/// <summary>What the keystore reads of <c>tee-dao.get_config</c>: where its CKD request goes and under which path.</summary>
public sealed record DaoConfig(string MpcContractId, int CkdDomainId, string CkdPath, string? ChainKeysContractId);
