// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.28;

import {IERC20Minimal} from "../interfaces/IERC20Minimal.sol";
import {ISobaCallee} from "../interfaces/ISobaCallee.sol";
import {ISobaPair} from "../interfaces/ISobaPair.sol";

/// Measures a token's transfer tax without holding any of it and without deploying anything:
/// its creation code is sent as an eth_call. It flash-borrows `amount` of `token` from a v2
/// `pair`, sees what arrived (a transfer out of the pool, as in a buy), sends that back and sees
/// what the pool received (a transfer into the pool, as in a sell), then reverts with both in a
/// `TransferTax` error: the revert undoes everything, so the call never owes the pool anything.
contract TransferTaxProbe {
    constructor(address pair, address token, uint256 amount, bool isToken0) {
        // The callback needs code at its address, which a contract under construction lacks.
        new TransferTaxMeter().measure(pair, token, amount, isToken0);
    }
}

contract TransferTaxMeter is ISobaCallee {
    error TransferTax(uint256 sent, uint256 received, uint256 returned);

    function measure(address pair, address token, uint256 amount, bool isToken0) external {
        ISobaPair(pair).swap(isToken0 ? amount : 0, isToken0 ? 0 : amount, address(this), abi.encode(token, amount));
    }

    function uniswapV2Call(address, uint256, uint256, bytes calldata data) external {
        (address token, uint256 amount) = abi.decode(data, (address, uint256));
        uint256 received = IERC20Minimal(token).balanceOf(address(this));
        uint256 poolBefore = IERC20Minimal(token).balanceOf(msg.sender);
        IERC20Minimal(token).transfer(msg.sender, received);
        uint256 returned = IERC20Minimal(token).balanceOf(msg.sender) - poolBefore;
        revert TransferTax(amount, received, returned);
    }
}
