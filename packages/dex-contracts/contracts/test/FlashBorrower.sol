// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.28;

import {ISobaPair} from "../interfaces/ISobaPair.sol";
import {IERC20Minimal} from "../interfaces/IERC20Minimal.sol";

interface IPairTokens {
    function token0() external view returns (address);
    function token1() external view returns (address);
}

/// Test helper for flash swaps: on the callback it pays back `repay0`/`repay1`
/// (pre-funded on this contract), or re-enters the pair to prove the lock.
contract FlashBorrower {
    uint256 public repay0;
    uint256 public repay1;
    bool public reenter;
    address public lastSender;

    function flash(address pair, uint256 out0, uint256 out1, uint256 _repay0, uint256 _repay1, bool _reenter)
        external
    {
        repay0 = _repay0;
        repay1 = _repay1;
        reenter = _reenter;
        ISobaPair(pair).swap(out0, out1, address(this), hex"01");
    }

    function uniswapV2Call(address sender, uint256, uint256, bytes calldata) external {
        lastSender = sender;
        if (reenter) {
            ISobaPair(msg.sender).swap(1, 0, address(this), "");
        }
        if (repay0 > 0) IERC20Minimal(IPairTokens(msg.sender).token0()).transfer(msg.sender, repay0);
        if (repay1 > 0) IERC20Minimal(IPairTokens(msg.sender).token1()).transfer(msg.sender, repay1);
    }
}
