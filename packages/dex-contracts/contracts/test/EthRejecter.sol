// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.28;

import {IWETH} from "../interfaces/IWETH.sol";

/// Test helper: a contract without receive(), so Ether sent to it bounces.
contract EthRejecter {
    function wrapAndUnwrap(address weth) external payable {
        IWETH(weth).deposit{value: msg.value}();
        IWETH(weth).withdraw(msg.value);
    }
}
