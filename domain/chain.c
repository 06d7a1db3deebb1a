/* domain/chain.c — the node adapters deposits and withdrawals can use, one per network: a third network is another row */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/btc_rpc.h"
#include "domain/chain.h"
#include "domain/eth_chain.h"
#include "domain/eth_pay.h"
#include "domain/eth_rpc.h"

static const struct chain_adapter adapters[] = {
	/* Bitcoin Core; -5 is RPC_INVALID_ADDRESS_OR_KEY, "Block not found". */
	{
		.network = "BTC",
		.new_address = btc_new_address,
		.since = btc_since,
		.err_no_block = -5,
		.address_check = btc_address_check,
		.send = btc_send,
		.find_sent = btc_find_sent,
		.payment = btc_payment,
		.conflicts_unlisted = 1,
		.refused_for_good = btc_refused_for_good,
	},
	/* Ethereum's JSON-RPC (geth, Nethermind): ether itself. */
	{
		.network = "ETH",
		.new_address = eth_new_address,
		.since = eth_since,
		.err_no_block = ETH_NO_BLOCK,
		.address_check = eth_address_check,
		.send = eth_send,
		.find_sent = eth_find_sent,
		.payment = eth_payment,
		.refused_for_good = eth_refused_for_good,
	},
	/* The same node: USDT, an ERC-20 token (usdt_contract). */
	{
		.network = "ERC20",
		.new_address = eth_new_address,
		.since = erc20_since,
		.err_no_block = ETH_NO_BLOCK,
		.address_check = eth_address_check,
		.send = erc20_send,
		.find_sent = erc20_find_sent,
		.payment = erc20_payment,
		.refused_for_good = eth_refused_for_good,
	},
};

const struct chain_adapter *
chain_adapter(const char *network)
{
	size_t i;

	for (i = 0; network != NULL && i < nitems(adapters); i++)
		if (strcmp(adapters[i].network, network) == 0)
			return &adapters[i];
	return NULL;
}

const char *
chain_fail_text(const struct chain_status *st)
{
	switch (st->fail) {
	case CHAIN_OK:
		return "ok";
	case CHAIN_UNCONFIGURED:
		return "no usable node configured";
	case CHAIN_DOWN:
		return "node unavailable";
	case CHAIN_AUTH:
		return "node refused the credentials";
	case CHAIN_MALFORMED:
		return "node answered with something else than the protocol";
	case CHAIN_RPC:
		return "node answered with an error";
	case CHAIN_UNSURE:
		return st->message;
	}
	return "node error";
}
