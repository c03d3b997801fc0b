// Keystore.Attestation: TDX quote model, DCAP verification, dstack guest-agent client, event-log replay.
