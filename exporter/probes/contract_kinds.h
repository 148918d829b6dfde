#pragma once
// The constructors of the contract kinds, one per contract_<kind>.cc; MakeContract (contract.cc)
// picks one by ContractSpec::kind. Internal to exporter/probes.
// Thread-safety: pure functions.

#include "exporter/config/config.h"
#include "exporter/core/status.h"
#include "exporter/probes/contract.h"

namespace smoke::probes {

core::Result<ContractPtr> MakeHealthContract(const config::ContractSpec& spec);
core::Result<ContractPtr> MakeOpenApiContract(const config::ContractSpec& spec);
// not_found, invalid_input, auth_required, webhook_signature.
core::Result<ContractPtr> MakeRefusalContract(const config::ContractSpec& spec);
core::Result<ContractPtr> MakeSqlInjectionContract(const config::ContractSpec& spec);
core::Result<ContractPtr> MakeSecurityHeadersContract(const config::ContractSpec& spec);
core::Result<ContractPtr> MakeCorsContract(const config::ContractSpec& spec);

}  // namespace smoke::probes
